"""Deadline reminders, escalation and the notification center (issue 6).

- schedule.py — the pure rule module: when reminders fall due (offsets before an incident's working
  deadline, escalation while overdue, review every N days, 180-day recovery ageing, fiscal year end).
- registry.py — what the programs register at start-up (docs/architecture.md): per model, a reminder source
  (the reminders a record needs now, who receives them, what they say) and the saves that reschedule them.
- sources.py — the dispatch to the record's registered source, the reminder settings, shared helpers.
- models.py — Reminder (one row per record, kind and due time: the unit of exactly-once delivery, polled
  through a partial index on due_at) and Notification (the in-app channel).
- services.py — schedule_reminders_for, sweep_reminders, send_reminder, retry_reminder, mark_read.
- queueing.py — what the reminder and chat queues share: the hand-over to the broker and the retry of a
  failed row.
- tasks.py — sweep_reminders_task (beat, every REMINDER_SWEEP_SECONDS) and send_reminder_task(id).
- messages.py — a reminder as it leaves the application (the e-mail's text, the chat message): built once.
- webhooks/ — chat channels (Slack, Microsoft Teams) per company, and the delivery of reminders to them.
- signals.py — the seam: post_save and post_delete receivers reschedule the reminders of the records the
  registered triggers name, so the programs and this app never import each other.

Settings (settings.py, from the environment): REMINDER_OFFSETS_HOURS (12,4,1,0), ESCALATION_EVERY_HOURS (4),
REMINDER_REVIEW_DAYS (14), REMINDER_AGEING_LEAD_DAYS (30), REMINDER_FISCAL_YEAR_LEAD_DAYS (30,0),
REMINDER_SWEEP_SECONDS (2), REMINDER_REENQUEUE_SECONDS (300), REMINDER_SENDING_LEASE_SECONDS (300),
REMINDER_MAX_ATTEMPTS (5); chat: WEBHOOK_TIMEOUT_SECONDS (10), WEBHOOK_MAX_ATTEMPTS (5),
WEBHOOK_ALLOW_LOCAL_HTTP (off).
"""

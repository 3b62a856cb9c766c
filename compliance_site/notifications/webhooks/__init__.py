"""Chat notifications (issue #17): reminders posted to Slack and Microsoft Teams channels through incoming
webhooks configured per company (docs/architecture.md, "Chat notifications").

- rules.py — the pure rules: which webhook addresses are accepted, how a saved one is shown (masked), the
  Slack and Teams payloads, the backoff between attempts. Standard library only.
- posting.py — one POST with a timeout (urllib.request), no redirect followed, the outcome in words.
- services.py — the endpoints (add, change: audited, the address never in the audit trail), the deliveries
  (queued when a reminder goes out, posted by `deliver_webhook_task`, retried with backoff, failed after
  WEBHOOK_MAX_ATTEMPTS, retried by an administrator), the sweep that hands over lost ones.
- selectors.py, forms.py, views.py — the configuration page and what the operations page shows.

The models (WebhookEndpoint, WebhookDelivery, WebhookAttempt) are in the app's models.py; the tasks in its
tasks.py; the API in api/webhooks.py.
"""

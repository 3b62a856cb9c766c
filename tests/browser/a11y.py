"""Accessibility checks for the browser tests: axe-core on a page, no sideways scrolling, unique ids, and the
keyboard helpers the journeys use instead of clicks (Tab to an element, then type, Enter or Space).

`check_page(page, name)` fails with a readable list of what is wrong; the journeys call the keyboard helpers,
which fail when an element cannot be reached with Tab or shows no focus indicator when it is.
"""

import re

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import shot

AXE = Axe()
SERIOUS = {"serious", "critical"}


def axe_problems(page, name: str) -> list[str]:
    """The serious and critical axe-core violations of the page, one readable line each."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.axe_script)
    violations = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
    )
    problems = []
    for violation in violations:
        if violation.get("impact") not in SERIOUS:
            continue
        targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"]]
        summary = "; ".join(targets[:3]) + (f" (+{len(targets) - 3} more)" if len(targets) > 3 else "")
        problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} — {summary}")
    return problems


SIDEWAYS = """() => {
    const width = window.innerWidth, root = document.documentElement;
    if (root.scrollWidth <= width) return null;
    // Name the outermost elements that stick out (their parent does not), outside a scrolling
    // .table-responsive, so the failure says what to fix.
    const out = [], sticks = el => el.getBoundingClientRect().right > width + 1;
    const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
        (el.dataset.testid ? '[data-testid=' + el.dataset.testid + ']' : '');
    for (const el of document.body.querySelectorAll('*')) {
        if (!sticks(el) || (el.parentElement && sticks(el.parentElement))) continue;
        if (el.parentElement && el.parentElement.closest('.table-responsive')) continue;
        const parent = el.parentElement ? describe(el.parentElement) + ' > ' : '';
        out.push(parent + describe(el) + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + ')');
        if (out.length >= 30) break;
    }
    return {scrollWidth: root.scrollWidth, width, out};
}"""

DUPLICATE_IDS = """() => {
    const seen = {}, twice = [];
    for (const el of document.querySelectorAll('[id]')) {
        if (seen[el.id]) { if (!twice.includes(el.id)) twice.push(el.id); } else seen[el.id] = true;
    }
    return twice;
}"""


CONTENT_KEY = """() => {
    const main = document.querySelector('main');
    if (!main) return document.body.innerHTML;
    const copy = main.cloneNode(true);
    copy.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(el => el.remove());
    copy.querySelectorAll('[data-countdown]').forEach(el => { el.textContent = ''; });
    return copy.innerHTML;
}"""


HELP_TIES = """() => {
    const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '');
    const problems = [];
    // Every id an aria-describedby names is on the page.
    for (const el of document.querySelectorAll('[aria-describedby]')) {
        for (const id of el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)) {
            if (!document.getElementById(id)) problems.push(describe(el) + ' is described by #' + id + ', which is missing');
        }
    }
    // A field's help text (the .form-text right after the field, its checkbox or its fieldset) is tied to it.
    for (const help of document.querySelectorAll('main .form-text')) {
        const prev = help.previousElementSibling;
        if (!prev) continue;
        const control = prev.matches('input:not([type=hidden]), select, textarea, fieldset') ? prev
            : prev.matches('.form-check') ? prev.querySelector('input') : null;
        if (!control) continue;
        const refs = (control.getAttribute('aria-describedby') || '').split(/\\s+/);
        if (!help.id || !refs.includes(help.id)) {
            problems.push(describe(control) + ' is not tied to its help text "' + help.textContent.trim().slice(0, 40) + '"');
        }
    }
    return problems;
}"""


def page_problems(page, name: str, *, seen: set | None = None) -> list[str]:
    """Everything check_page checks, as a list of readable lines (empty when the page is clean).

    With `seen` (a set kept by the caller across pages): axe-core runs only on content not seen before at
    this width, the same <main> shown to another persona (whose navigation bar was checked on its first
    page) is not analysed again. The sideways-scrolling and id checks run on every page."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    problems = []
    if seen is None:
        problems += axe_problems(page, name)
    else:
        key = (width, hash(page.evaluate(CONTENT_KEY)))
        if key not in seen:
            seen.add(key)
            problems += axe_problems(page, name)
    sideways = page.evaluate(SIDEWAYS)
    if sideways:
        problems.append(
            f"scrolls sideways: {sideways['scrollWidth']} px wide in a {sideways['width']} px window; "
            f"sticking out: {', '.join(sideways['out'][:5]) or '?'}"
        )
    problems += [f"help text: {line}" for line in page.evaluate(HELP_TIES)]
    duplicates = page.evaluate(DUPLICATE_IDS)
    if duplicates:
        problems.append(f"ids used more than once: {', '.join(duplicates)}")
    shot(page, f"{name}-{width}")
    return problems


def check_page(page, name: str, *, seen: set | None = None) -> None:
    """Fail unless the page has no serious or critical axe-core violation, does not scroll sideways (a wide
    table scrolls inside its own .table-responsive), ties each field's help text to it (aria-describedby,
    naming only ids on the page) and uses each id once; saves a screenshot named after
    the page and the window's width (BROWSER_SHOTS). `seen`: see page_problems."""
    problems = page_problems(page, name, seen=seen)
    assert not problems, f"{name} ({page.url}):\n  " + "\n  ".join(problems)


# ---- The keyboard: reach an element with Tab alone, then use it as a keyboard user would ----

FOCUS_VISIBLE = """el => {
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return outline || (s.boxShadow && s.boxShadow !== 'none');
}"""


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def focused_description(page) -> str:
    return page.evaluate(
        """() => { const el = document.activeElement; if (!el) return 'nothing';
        return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '')
            + ' "' + (el.innerText || el.value || '').trim().slice(0, 40) + '"'; }"""
    )


def skip_to_main(page) -> None:
    """The first Tab of a page reaches the "Skip to main content" link; Enter takes the keyboard to <main>."""
    page.keyboard.press("Tab")
    link = page.get_by_role("link", name="Skip to main content")
    assert is_focused(link), f"the first Tab reached {focused_description(page)}, not the skip link"
    page.keyboard.press("Enter")
    # The jump is a navigation within the page. Wait for it here: otherwise the caller's next
    # `expect_navigation()` can take this late event for the one it waits for, and read a page that is
    # still being replaced ("Execution context was destroyed").
    page.wait_for_url(re.compile(r"#main$"))


def tab_to(page, locator, max_tabs: int = 120) -> None:
    """Press Tab until `locator` has the focus (fail if it never does within max_tabs), then check that the
    focus shows (an outline or a focus ring)."""
    locator.wait_for(state="attached")
    for _ in range(max_tabs + 1):
        if is_focused(locator):
            assert locator.evaluate(FOCUS_VISIBLE), (
                f"{focused_description(page)} has the focus but does not show it"
            )
            return
        page.keyboard.press("Tab")
    raise AssertionError(
        f"Tab never reached {locator} in {max_tabs} presses; last on {focused_description(page)}"
    )


def kb_fill(page, locator, text: str) -> None:
    """Tab to the field, select what it holds and type the text."""
    tab_to(page, locator)
    page.keyboard.press("ControlOrMeta+a")
    if text:
        page.keyboard.type(text)
    else:
        page.keyboard.press("Delete")


def kb_activate(page, locator) -> None:
    """Tab to the element and activate it: Space for a checkbox or radio button, Enter otherwise."""
    tab_to(page, locator)
    kind = locator.evaluate("el => (el.getAttribute('type') || el.getAttribute('role') || '').toLowerCase()")
    page.keyboard.press("Space" if kind in {"checkbox", "radio", "switch"} else "Enter")


def kb_select(page, locator, label: str) -> None:
    """Tab to a <select> and choose the option with this text by typing its first letters, as a keyboard
    user does (the select never opens): fail if typing does not land on it."""
    tab_to(page, locator)
    options = locator.evaluate("el => Array.from(el.options).map(o => o.text.trim())")
    assert label in options, f"{label!r} is not an option of {locator}: {options}"
    page.keyboard.type(label)
    chosen = locator.evaluate("el => el.options[el.selectedIndex].text.trim()")
    if chosen != label:  # several options start alike: walk the list with the arrow keys instead
        page.keyboard.press("Home")
        for _ in range(len(options)):
            if locator.evaluate("el => el.options[el.selectedIndex].text.trim()") == label:
                break
            page.keyboard.press("ArrowDown")
    chosen = locator.evaluate("el => el.options[el.selectedIndex].text.trim()")
    assert chosen == label, f"typing chose {chosen!r}, not {label!r}"


def kb_datetime(page, locator, when) -> None:
    """Tab to an <input type="datetime-local"> (or type="date" for a date) and type the value segment by
    segment as a keyboard user does in Chromium's en-US field: month, day, year, then (datetime-local) the
    arrow to the time, hours, minutes and A or P. Fail unless the field then holds `when`."""
    tab_to(page, locator)
    kind = locator.evaluate("el => el.type")
    page.keyboard.type(when.strftime("%m%d%Y"))
    if kind == "datetime-local":
        page.keyboard.press("ArrowRight")
        page.keyboard.type(when.strftime("%I%M"))
        page.keyboard.type(when.strftime("%p")[0])
        expected = when.strftime("%Y-%m-%dT%H:%M")
    else:
        expected = when.strftime("%Y-%m-%d")
    value = locator.input_value()
    assert value == expected, f"typing {expected} into {locator} gave {value!r}"

"""The login page's HTML: self-contained (inline CSS, no script, no CDN), light and dark themes. Pure.

Every interpolated value is escaped. The forms post to ``/login`` and ``/logout`` on this origin only (the
page's Content-Security-Policy says ``form-action 'self'``).
"""

from __future__ import annotations

from html import escape

HASH_COMMAND = "inngest-lab hash-password"

_CSS = """
:root { color-scheme: light dark; --bg: #f6f7f9; --card: #ffffff; --fg: #1d2433; --muted: #5b6475;
  --border: #d7dbe3; --accent: #3b5bdb; --accent-fg: #ffffff; --error-bg: #fdecec; --error-fg: #a61b1b;
  --code-bg: #eef0f4; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #11141a; --card: #1a1f29; --fg: #e3e7ef; --muted: #9aa3b5; --border: #2c3342;
    --accent: #748ffc; --accent-fg: #0b0e14; --error-bg: #3a1d1f; --error-fg: #ffb3b3; --code-bg: #242a36; }
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
main { width: min(26rem, 92vw); background: var(--card); border: 1px solid var(--border); border-radius: 10px;
  padding: 2rem; box-shadow: 0 4px 24px rgb(0 0 0 / 8%); }
h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
.mode { display: inline-block; font-size: .75rem; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); border: 1px solid var(--border); border-radius: 999px; padding: .05rem .6rem; }
p { color: var(--muted); margin: .75rem 0; }
label { display: block; font-weight: 600; margin: 1.25rem 0 .4rem; }
input[type=password] { width: 100%; padding: .6rem .7rem; font: inherit; color: var(--fg); background: var(--bg);
  border: 1px solid var(--border); border-radius: 6px; }
input[type=password]:focus, button:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
button { margin-top: 1.25rem; width: 100%; padding: .6rem; font: inherit; font-weight: 600; cursor: pointer;
  color: var(--accent-fg); background: var(--accent); border: 0; border-radius: 6px; }
.error { background: var(--error-bg); color: var(--error-fg); border-radius: 6px; padding: .5rem .7rem;
  margin-top: 1rem; }
code { background: var(--code-bg); border-radius: 4px; padding: .1rem .3rem; font-size: .9em; }
pre { background: var(--code-bg); border-radius: 6px; padding: .6rem .8rem; overflow-x: auto; font-size: .85em; }
"""


def _document(title: str, mode: str, body: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · inngest-lab</title><style>{_CSS}</style></head>"
        f'<body><main><h1>inngest-lab</h1><span class="mode" data-mode="{escape(mode)}">{escape(mode)} server</span>'
        f"{body}</main></body></html>\n"
    )


def login_page(mode: str, next_path: str, *, error: str | None = None) -> str:
    """The password form; after a successful login the browser goes to ``next_path``."""
    alert = f'<div class="error" role="alert">{escape(error)}</div>' if error else ""
    form = (
        '<form method="post" action="/login">'
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>'
        f"{alert}"
        '<button type="submit">Log in</button></form>'
    )
    return _document("Log in", mode, "<p>Log in to open the dashboard.</p>" + form)


def signed_in_page(mode: str, csrf: str) -> str:
    """Shown at ``/login`` to a browser that already has a session: links onward and a Log out button."""
    body = (
        '<p>You are logged in. <a href="/">Open the dashboard</a>.</p>'
        '<form method="post" action="/logout">'
        f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'
        '<button type="submit">Log out</button></form>'
    )
    return _document("Logged in", mode, body)


def ui_off_page(mode: str) -> str:
    """``start`` without credentials: the dashboard stays closed, and this says how to open it."""
    body = (
        "<p>The dashboard is off: no UI password is configured, so nobody can log in. "
        "The REST API still accepts <code>Authorization: Bearer &lt;signing key&gt;</code>.</p>"
        "<p>To turn the dashboard on, make a password hash and pass it to the server:</p>"
        f"<pre>{escape(HASH_COMMAND)}\n"
        "inngest-lab start --ui-password-hash 'scrypt:...'\n"
        "# or: export INNGEST_UI_PASSWORD_HASH='scrypt:...'</pre>"
    )
    return _document("Dashboard off", mode, body)


def no_login_page(mode: str, next_path: str, *, api_needs_key: bool) -> str:
    """A dev server without a password: nothing to log in to. With a signing key its REST API (and so the
    dashboard) needs ``Authorization: Bearer``, which a browser cannot send: say how to get a login."""
    if api_needs_key:
        text = (
            "<p>This dev server requires its signing key on the REST API (<code>--signing-key</code>) and has no "
            "dashboard password, so the dashboard cannot load its data. Start it with a password to log in:</p>"
            f"<pre>{escape(HASH_COMMAND)}\n"
            "inngest-lab dev --signing-key ... --ui-password-hash 'scrypt:...'</pre>"
        )
    else:
        text = f'<p>This dev server has no login. <a href="{escape(next_path)}">Open the dashboard</a>.</p>'
    return _document("No login", mode, text)

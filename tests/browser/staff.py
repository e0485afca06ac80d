"""Staff signing in to the Wagtail admin in the browser, as a person does: the login form, then the second
factor (reviewers and administrators enrol an authenticator app the first time; the code is computed here)."""

from tests.totp import code_for

PASSWORD = "pw-12345"


def log_in_to_admin(page, site_url, user):
    page.goto(site_url + "/admin/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/2fa/enrol/**")
    page.fill("#id_token", code_for(user))
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "/admin/")

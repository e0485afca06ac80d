"""The admin's login form in the words staff read (WAGTAILADMIN_USER_LOGIN_FORM).

Wagtail 8.0.1's form gives the password field no label, so Django shows its name, "Password", in English, and
its wrong-password message reads 「再度ためしてください」. Here both fields have Japanese labels, and the message
says what to check and what happens after repeated mistakes, from the lockout's own settings
(core/staff_lockout.py), so it never states another limit than the one applied.
"""

from axes.helpers import get_cool_off, get_failure_limit
from django.forms import ValidationError
from wagtail.admin.forms.auth import LoginForm


class StaffLoginForm(LoginForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "ユーザー名"
        self.fields["password"].label = "パスワード"

    def get_invalid_login_error(self):
        message = "ユーザー名かパスワードが違います。もう一度入力してください（大文字と小文字は区別されます）。"
        if self.request is not None:
            limit = get_failure_limit(self.request, None)
            minutes = int(get_cool_off(self.request).total_seconds() // 60)
            message += (
                f"続けて{limit}回間違えると、この接続元からこのアカウントに{minutes}分間ログインできなくなります。"
            )
        return ValidationError(message, code="invalid_login")

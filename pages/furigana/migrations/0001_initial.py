import django.db.models
from django.db import migrations

import pages.furigana.models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ReadingCorrection",
            fields=[
                ("id", django.db.models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "word",
                    django.db.models.CharField(
                        error_messages={"unique": "このことばのよみは登録済みです。一覧から修正してください。"},
                        help_text="ページに書かれているとおりに入力します。例：梼原町",
                        max_length=50,
                        unique=True,
                        validators=[pages.furigana.models.validate_word],
                        verbose_name="ことば",
                    ),
                ),
                (
                    "reading",
                    django.db.models.CharField(
                        help_text="ことば全体のよみを、ひらがなで入力します。例：ゆすはらちょう",
                        max_length=100,
                        validators=[pages.furigana.models.validate_reading],
                        verbose_name="よみ",
                    ),
                ),
                ("updated_at", django.db.models.DateTimeField(auto_now=True, verbose_name="更新日時")),
            ],
            options={"verbose_name": "ふりがなの修正", "verbose_name_plural": "ふりがなの修正", "ordering": ["word"]},
        ),
    ]

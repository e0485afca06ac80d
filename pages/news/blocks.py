"""The article's own block: a register entry it is about, chosen from what other apps offer."""

from wagtail import blocks

from pages.related import registry


class RelatedEntryBlock(blocks.ChoiceBlock):
    """One entry outside the page tree (a declaration on the register) that the article is about."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", registry.choices)
        super().__init__(**kwargs)

    class Meta:
        icon = "link"
        label = "関連する登録情報"
        help_text = (
            "この記事で紹介している宣言企業・団体などを選びます。記事の最後に、その掲載ページへのリンクを表示します。"
            "掲載が取り下げられたものは、サイトには表示されなくなります。"
        )

"""What other pages show of the register (the home page's 宣言数)."""

from django import template

from declarations.models import Declaration

register = template.Library()


@register.simple_tag
def public_declaration_count():
    """How many declarations the public register shows."""
    return Declaration.objects.public().count()

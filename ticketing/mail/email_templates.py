"""The sandbox that renders the email templates managers write (My Hub > Email templates).

A manager's template is text, not code: it may only read the placeholders below, with a few
tags and filters, and its output is plain text that every page escapes. Django's own engine
would offer `{% load %}`, `{% include %}`, `{% debug %}`, method calls on whatever it is given,
and return a SafeString that the composer's textarea would print unescaped. This engine knows
only the tags and filters registered here, is given plain strings only, and is checked when a
template is saved as well as when it is used.
"""

from collections.abc import Iterator, Mapping
from functools import cache

from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import (
    FilterExpression,
    Lexer,
    TextNode,
    TokenType,
    Variable,
    VariableNode,
)
from django.template.defaulttags import CommentNode, FirstOfNode, IfNode, TemplateLiteral
from django.utils.translation import gettext as _

PLACEHOLDERS = (
    "ticket.number",
    "ticket.title",
    "ticket.status",
    "ticket.solution",
    "contact.name",
    "agent.name",
)
ALLOWED_TAGS = ("if", "elif", "else", "endif", "firstof", "comment", "endcomment")
MAX_SOURCE_CHARS = 20_000
MAX_PLACEHOLDER_USES = 50
MAX_OUTPUT_CHARS = 100_000

register = Library()
register.tag("if", defaulttags.do_if)
register.tag("firstof", defaulttags.firstof)
register.tag("comment", defaulttags.comment)
for name in ("default", "default_if_none", "upper", "lower", "capfirst", "title"):
    register.filter(name, getattr(defaultfilters, name))
register.filter("truncatechars", defaultfilters.truncatechars)
register.filter("truncatewords", defaultfilters.truncatewords)


class EmailTemplateError(ValueError):
    """A template that cannot be used; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SandboxEngine(Engine):
    default_builtins = []  # none of Django's tags and filters: only the ones registered above


@cache
def sandbox_engine() -> SandboxEngine:
    return SandboxEngine(loaders=[], builtins=["ticketing.mail.email_templates"], autoescape=False)


def check_email_template(source: str) -> None:
    """Raise EmailTemplateError unless `source` only uses the allowed tags and placeholders."""
    compile_email_template(source)


def render_email_template_text(source: str, values: Mapping[str, str]) -> str:
    """Fill `source` from `values` ({"ticket.title": "…"}), as plain text, bounded in size.

    The result is a plain str, never a SafeString: wherever it is shown, it is escaped.
    """
    template = compile_email_template(source)
    context = Context(nested(values), autoescape=False)
    try:
        rendered = template.render(context)
    except Exception as error:  # noqa: BLE001 - a template must never break the page using it
        raise EmailTemplateError(_("This email template cannot be filled in: %(error)s")
                                 % {"error": error}) from error  # fmt: skip
    if len(rendered) > MAX_OUTPUT_CHARS:
        raise EmailTemplateError(
            _("This email template gives a text longer than %(max)s characters.")
            % {"max": MAX_OUTPUT_CHARS}
        )
    return rendered[:]  # slicing a SafeString gives a plain str


def compile_email_template(source: str):
    if len(source) > MAX_SOURCE_CHARS:
        raise EmailTemplateError(
            _("An email template may have at most %(max)s characters.") % {"max": MAX_SOURCE_CHARS}
        )
    refuse_other_tags(source)
    try:
        template = sandbox_engine().from_string(source)
    except TemplateSyntaxError as error:
        raise EmailTemplateError(
            _("This email template has an error: %(error)s") % {"error": error}
        ) from error
    refuse_unknown_placeholders(template.nodelist)
    return template


def refuse_other_tags(source: str) -> None:
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK or not token.contents.split():
            continue
        tag = token.contents.split()[0]
        if tag not in ALLOWED_TAGS:
            raise EmailTemplateError(
                _("“{%% %(tag)s %%}” is not allowed in an email template. Allowed: %(allowed)s.")
                % {"tag": tag, "allowed": "{% if %}, {% firstof %}, {% comment %}"}
            )


def refuse_unknown_placeholders(nodelist) -> None:
    uses = 0
    for variable in variables_in(nodelist):
        if variable.lookups is None:  # a literal: "text" or 3
            continue
        name = ".".join(variable.lookups)
        if name not in PLACEHOLDERS:
            raise EmailTemplateError(
                _("“{{ %(name)s }}” is not a placeholder. Placeholders: %(names)s.")
                % {"name": name, "names": ", ".join(f"{{{{ {p} }}}}" for p in PLACEHOLDERS)}
            )
        uses += 1
    if uses > MAX_PLACEHOLDER_USES:
        raise EmailTemplateError(
            _("An email template may use at most %(max)s placeholders.")
            % {"max": MAX_PLACEHOLDER_USES}
        )


def variables_in(nodes) -> Iterator[Variable]:
    """Every variable the nodes read, filter arguments and conditions included.

    Only the node types of the allowed tags can occur; any other is refused, so that a tag
    added to the library later cannot read something this walk does not see.
    """
    for node in nodes:
        if isinstance(node, VariableNode):
            yield from expression_variables(node.filter_expression)
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                if condition is not None:
                    yield from condition_variables(condition)
                yield from variables_in(branch)
        elif isinstance(node, FirstOfNode):
            if node.asvar:
                raise EmailTemplateError(_("“{% firstof … as … %}” is not allowed."))
            for expression in node.vars:
                yield from expression_variables(expression)
        elif not isinstance(node, TextNode | CommentNode):
            raise EmailTemplateError(_("This email template uses something that is not allowed."))


def condition_variables(condition) -> Iterator[Variable]:
    if isinstance(condition, TemplateLiteral):
        yield from expression_variables(condition.value)
        return
    for operand in (condition.first, condition.second):
        if operand is not None:
            yield from condition_variables(operand)


def expression_variables(expression: FilterExpression) -> Iterator[Variable]:
    if isinstance(expression.var, Variable):
        yield expression.var
    for _func, arguments in expression.filters:
        for is_variable, argument in arguments:
            if is_variable:
                yield argument


def nested(values: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """{"ticket.title": "…"} as {"ticket": {"title": "…"}}: plain strings, nothing to call."""
    context: dict[str, dict[str, str]] = {}
    for name, value in values.items():
        group, _dot, field = name.partition(".")
        context.setdefault(group, {})[field] = str(value)[:MAX_OUTPUT_CHARS]
    return context

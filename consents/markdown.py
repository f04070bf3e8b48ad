"""Policy texts (Terms, Privacy Policy, Data Use Agreement) are Markdown,
rendered by markdown-it-py (CommonMark) with raw HTML disabled: whatever a
text holds is escaped, so a policy can never inject markup or script, while
it may hold headings, lists, emphasis, tables and links (markdown-it refuses
javascript:, vbscript:, file: and data: links). Headings move down one level:
the page's own title is the only h1 and a policy's "#" sections are its h2s."""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _heading_one_level_down(self, tokens, idx, options, env):
    token = tokens[idx]
    token.tag = f"h{min(6, int(token.tag[1]) + 1)}"
    return self.renderToken(tokens, idx, options, env)


_renderer.add_render_rule("heading_open", _heading_one_level_down)
_renderer.add_render_rule("heading_close", _heading_one_level_down)


def render_markdown(source: str) -> SafeString:
    return mark_safe(_renderer.render(source))  # noqa: S308 - raw HTML is disabled: every tag in the source is escaped

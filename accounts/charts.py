"""Bar charts drawn on the server as SVG.

Why SVG from the server rather than a charting package: the pages work
without JavaScript (PRODUCT §8), the strict CSP allows no inline script or
style (the SVG uses classes from static/css/site.css and presentation
attributes only), nothing is loaded from elsewhere, and there is nothing to
keep up to date. Accessibility: the SVG is an image with a title and a text
summary (role="img", aria-labelledby), the same figures are in a table
beside it, every bar carries its value as text, and a bar that needs
attention is hatched and labelled with a word, so colour is never the only
cue."""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from accounts.dashboard import Chart

ROW = 30
LABEL_WIDTH = 150
BAR_SPACE = 170
WIDTH = LABEL_WIDTH + BAR_SPACE + 100
LABEL_CHARS = 20


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(chart: Chart, chart_id: str) -> SafeString:
    """The chart as inline SVG (its table is rendered by the template)."""
    bars = chart.bars
    height = max(ROW, ROW * len(bars)) + 10
    top = max((bar.value for bar in bars if not bar.shown), default=0) or 1
    parts = [
        format_html(
            '<svg class="chart" role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" '
            'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
            '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>'
            '<defs><pattern id="{0}-hatch" class="chart-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="8" height="8" class="chart-hatch-bg"/>'
            '<line x1="0" y1="0" x2="0" y2="8" class="chart-hatch-line" stroke-width="4"/></pattern></defs>',
            chart_id,
            WIDTH,
            height,
            chart.title,
            chart.summary,
        )
    ]
    for index, bar in enumerate(bars):
        y = 5 + index * ROW
        width = round(BAR_SPACE * bar.value / top) if bar.value > 0 and not bar.shown else 0
        value_text = bar.shown or f"{bar.value:,}{chart.unit}"
        if bar.note:
            value_text = f"{value_text} ({bar.note})"
        parts.append(
            format_html(
                '<text x="{0}" y="{1}" class="chart-label" text-anchor="end" dominant-baseline="middle">{2}</text>'
                '<rect x="{3}" y="{4}" width="{5}" height="{6}" class="{7}"{8}/>'
                '<text x="{9}" y="{1}" class="chart-value" dominant-baseline="middle">{10}</text>',
                LABEL_WIDTH - 8,
                y + ROW // 2 - 2,
                _short(bar.label),
                LABEL_WIDTH,
                y + 4,
                max(width, 1 if bar.value and not bar.shown else 0),
                ROW - 12,
                "chart-bar chart-bar-alert" if bar.alert else "chart-bar",
                mark_safe(f' fill="url(#{escape(chart_id)}-hatch)"') if bar.alert else "",  # noqa: S308 - escaped id
                LABEL_WIDTH + width + 6,
                value_text,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return SafeString("".join(parts))

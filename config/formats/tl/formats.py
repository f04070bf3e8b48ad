# Tagalog (tl). Django has no Tagalog locale at all (settings.EXTRA_LANG_INFO
# names the language). Filipino official writing dates month first, and
# uses English month names as often as the Spanish-derived Tagalog ones
# (Enero ...); Django supplies English ones here [M: a native reviewer may
# prefer Enero, Pebrero ...]. Numbers as in the Philippines: 1,234.50.
DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "F j, Y, g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
FIRST_DAY_OF_WEEK = 0  # Sunday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# Burmese (my). Django's Burmese catalogue has no month names, so dates are
# written with numbers, day first, as on Myanmar documents (04-12-2026), and
# the long form with the Burmese words for year and day. Characters outside
# ASCII are printed as they are by Django's date formatting (no escaping).
# Digits stay Latin (forms expect 0-9); Burmese digits are a later step [M].
DATE_FORMAT = "Y ခုနှစ် n လ j ရက်"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y ခုနှစ် n လ j ရက် H:i"
YEAR_MONTH_FORMAT = "Y ခုနှစ် n လ"
MONTH_DAY_FORMAT = "n လ j ရက်"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

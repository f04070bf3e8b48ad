# Nepali (ne). Django's Nepali catalogue names the months (जनवरी ...), so
# the long date spells the month; numbers are grouped the South Asian way
# (1,00,000 for a lakh), as in Django's Hindi formats. Digits stay Latin:
# Devanagari digits (१२३) are read too, but forms and codes expect 0-9 [M].
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday (the week starts on आइतबार)
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)

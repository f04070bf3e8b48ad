"""Format modules (FORMAT_MODULE_PATH) for the languages Django ships none
for: Nepali, Burmese and Tagalog. Dates, times and number grouping as a
reader of each language expects them; the other languages use Django's."""

"""Format modules (FORMAT_MODULE_PATH): whole ones for the languages Django
ships none for (Nepali, Burmese, Tagalog), and for Vietnamese only the
number grouping Django's module leaves out. Django reads each setting from
the first module that has it, so the others fall through to Django's."""

# Vietnamese: Django's own module (django/conf/locale/vi) writes the dates;
# it leaves thousands ungrouped, and an amount in yen reads 1.234.567 in
# Vietnamese. Only what differs from Django's module is set here.
NUMBER_GROUPING = 3

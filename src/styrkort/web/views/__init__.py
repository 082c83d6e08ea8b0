"""Web views, one module per area: general (tree, accessibility), auth, scorecard,
indicators, reporting, activities, planning, assessments, imports, reports, risk and
economy."""

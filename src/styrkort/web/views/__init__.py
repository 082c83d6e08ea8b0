"""Web views, one module per area: general (tree, accessibility), auth, scorecard,
indicators, reporting, activities and planning."""

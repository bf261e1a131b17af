"""The interface floor: what a notebook, a dashboard or a printed page shows of the law. It decides
nothing: every answer comes from `casebook.law`. Its rooms:

- `ui`: the one-line calls of the notebooks;
- `blocks/`: the building blocks every page reuses (HTML rendering, widgets, links, the page's
  address and view, feedback on predictions);
- `pages/`: the interactive pages, each with the plain model beside it (explorer, exercise,
  navigator, training and its rounds, the case workshop and its drafts, the timeline);
- `server/`: the Voilà server `casebook serve` starts and its process;
- `exports/`: what leaves the dashboards as files (printable handouts)."""

"""Building blocks every page reuses: deterministic HTML (`display`), widgets (`widgets`), links
(`links`), the page's address and view (`page`, `teaching`) and feedback on predictions
(`pedagogy`)."""

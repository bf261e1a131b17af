"""The interface floor: what a notebook, a dashboard or a printed page shows of the law — HTML
rendering (`display`), the widgets (`widgets` and the modules beside it), the one-line calls of
the notebooks (`ui`), the Voilà server (`serve`, `voila_main`) and the printable handouts (`handouts`). It
decides nothing: every answer comes from `casebook.law`."""

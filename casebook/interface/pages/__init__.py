"""The interactive pages, each with the plain model it shows: the provision explorer, « Prédisez
d'abord », « Puis-je parler ? », « Entraînement » (`training`, `rounds`), « Atelier de cas »
(`builder`, `draft`, `transfer`) and the timeline."""

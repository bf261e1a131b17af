"""The Voilà server: `casebook serve` (`serve`) and the Voilà process it starts (`voila_main`)."""

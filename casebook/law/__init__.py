"""The law floor: the knowledge base loaded from `data/` and checked (`knowledge`, `schemas`,
`tables`, `yamlio`, `snapshot`), the three-valued engine that evaluates a situation and says
when the answer is settled (`logic`, `engine`, `determinacy`), and what explains it (`whatif`,
`synthesis`, `report`, `labels`), with the worked cases checked against it (`scenarios`).
Nothing here imports a widget or writes HTML."""

"""The site above the apps: what a signed-in person sees across them (the menu, the home page, "who am I").

It may import every app; no app imports it (an import-linter contract, decision 0039). This is what
lets accounts stay at the bottom: the menu used to live in accounts and reached up into schools,
homework, exams and afterschool.
"""

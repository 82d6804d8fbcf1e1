"""Date and number formats of the portal's languages where Django's own do not fit: English is
shown the British way (7 Dec 2026, 24-hour clock, weeks from Monday), as Swedish readers of
English expect, not the American "Dec. 7, 2026, 3 p.m."."""

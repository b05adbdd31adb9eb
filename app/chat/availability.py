"""When the chat is open for a visitor: one rule for every page, the API and the chat itself.

Open by the hours is not enough: someone must be there to answer. A chat that says "open" with
nobody to answer is a closed door that looks open, the worst kind for a person who found the
courage to write.
"""


def chat_open(hours_open: bool, counsellor_available: bool) -> bool:
    return hours_open and counsellor_available

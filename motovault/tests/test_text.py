from motovault.text import (
    MultiLineFormField,
    SingleLineFormField,
    is_invisible,
    multi_line,
    single_line,
)


def test_it_keeps_no_control_character_on_one_line():
    assert single_line("Shell\x00 Main\x1b[31m St\x7f\x9b") == "Shell Main[31m St"


def test_it_turns_line_breaks_and_tabs_on_one_line_into_one_space():
    assert single_line("Shell\r\nMain\tSt\x85") == "Shell Main St "


def test_it_keeps_line_breaks_and_tabs_in_multi_line_text():
    assert multi_line("Oil:\t5W-30\r\nFilter\rOK\x00\x0c\x1b") == "Oil:\t5W-30\nFilter\nOK"


def test_it_leaves_printable_text_alone():
    text = "Café 😀 <b>&</b> שלום"
    assert single_line(text) == multi_line(text) == text


def test_it_drops_invisible_characters_that_hide_or_reorder_text():
    # Zero-width space, right-to-left override: "Shell\u202eAB" showed as "ShellBA".
    assert single_line("Shell\x00\x07\u200bA\u202eB") == "ShellAB"
    invisible = (
        "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
        "\u2066\u2067\u2068\u2069"  # isolates
        "\u200b\u2060\ufeff\u00ad"  # zero-width space, word joiner, byte-order mark, soft hyphen
        "\u2061\u180e\U000e0041"  # an invisible operator, a vowel separator, a tag
        "\u3164\uffa0\u115f\u034f"  # Hangul fillers, combining grapheme joiner
    )
    assert single_line(f"Sh{invisible}ell") == "Shell"
    assert multi_line(f"Oil\t{invisible}\r\nchange") == "Oil\t\nchange"
    # A name of fillers alone is no name.
    assert SingleLineFormField(required=False).clean("\u3164\u200b") == ""


def test_it_keeps_the_invisible_characters_that_shape_the_visible_ones():
    text = (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ: Persian, "I want"
        " \U0001f469\u200d\U0001f527"  # ZWJ: the woman mechanic emoji
        " \u2764\ufe0f"  # a variation selector: the red heart
        " שלום\u200f (5)"  # a right-to-left mark
    )
    assert single_line(text) == multi_line(text) == text


def test_it_counts_fillers_and_format_characters_as_invisible():
    assert all(map(is_invisible, "\x00\t\u200b\u202e\u3164\u115f\u034f\ufe0f\U000e0041"))
    assert not any(map(is_invisible, "a =\u00a0\u2800ㅎ"))


def test_it_cleans_and_trims_in_the_form_field():
    assert SingleLineFormField().clean("  \x00Daily\ndriver\x1f ") == "Daily driver"
    assert SingleLineFormField(required=False).clean("\x00\x01") == ""


def test_it_counts_a_line_break_as_one_character_as_browsers_do():
    field = MultiLineFormField(max_length=4)
    assert field.clean("a\r\nb\r\n") == "a\nb"
    assert field.widget_attrs(field.widget)["maxlength"] == "4"

from motovault.text import MultiLineFormField, SingleLineFormField, multi_line, single_line


def test_it_keeps_no_control_character_on_one_line():
    assert single_line("Shell\x00 Main\x1b[31m St\x7f\x9b") == "Shell Main[31m St"


def test_it_turns_line_breaks_and_tabs_on_one_line_into_one_space():
    assert single_line("Shell\r\nMain\tSt\x85") == "Shell Main St "


def test_it_keeps_line_breaks_and_tabs_in_multi_line_text():
    assert multi_line("Oil:\t5W-30\r\nFilter\rOK\x00\x0c\x1b") == "Oil:\t5W-30\nFilter\nOK"


def test_it_leaves_printable_text_alone():
    text = "Café 😀 <b>&</b> \u202eright-to-left"
    assert single_line(text) == multi_line(text) == text


def test_it_cleans_and_trims_in_the_form_field():
    assert SingleLineFormField().clean("  \x00Daily\ndriver\x1f ") == "Daily driver"
    assert SingleLineFormField(required=False).clean("\x00\x01") == ""


def test_it_counts_a_line_break_as_one_character_as_browsers_do():
    field = MultiLineFormField(max_length=4)
    assert field.clean("a\r\nb\r\n") == "a\nb"
    assert field.widget_attrs(field.widget)["maxlength"] == "4"

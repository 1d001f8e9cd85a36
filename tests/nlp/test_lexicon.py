"""The spaCy pipeline and lexicon: lemma matching, evidence as it appears in the text."""

from __future__ import annotations

from rightsindex.nlp.lexicon import get_lexicon


def test_forced_evictions_is_housing_evidence():
    a = get_lexicon().analyse(["Put an end to Forced evictions in informal settlements."])[0]
    assert a.matches[("esc_rights", "housing")] == ("Forced evictions", "informal settlements")


def test_matching_is_on_lemmas_and_case_insensitive():
    a = get_lexicon().analyse(["EVICTIONS and Homelessness", "budgets were allocated"])
    assert set(a[0].matches[("esc_rights", "housing")]) == {"EVICTIONS", "Homelessness"}
    assert a[1].lemmas == "budget be allocate"
    assert ("fiscal", "budget_allocation") in a[1].matches


def test_acronyms_are_not_lemmatised_into_other_words():
    a = get_lexicon().analyse(["Fight HIV/AIDS"])[0]
    assert ("esc_rights", "health") in a.matches
    assert ("fiscal", "international_cooperation") not in a.matches  # AIDS is not "aid"


def test_sentences_and_empty_text():
    a, b = get_lexicon().analyse(["Adopt a law. Ratify the ICESCR.", ""])
    assert a.sentences == 2 and a.matches[("esc_rights", "esc_general")] == ("ICESCR",)
    assert b.lemmas == "" and b.matches == {}


def test_excluded_senses_do_not_count_for_the_label():
    a, b, c = get_lexicon().analyse([
        "Create an enabling environment for civil society",
        "Provide the NHRI with adequate human resources",
        "Protect the environment from pollution and allocate a budget to the NHRI",
    ])
    assert ("esc_rights", "healthy_environment") not in a.matches
    assert ("fiscal", "budget_allocation") not in b.matches  # "human resources" alone is not funding
    assert c.matches[("esc_rights", "healthy_environment")] == ("environment", "pollution")
    assert ("fiscal", "budget_allocation") in c.matches


def test_esc_rights_as_a_whole_are_esc_general_not_cultural_life():
    a = get_lexicon().analyse(["Ensure the enjoyment of economic, social, and cultural rights"])[0]
    assert ("esc_rights", "esc_general") in a.matches
    assert ("esc_rights", "cultural_life") not in a.matches


def test_human_rights_education_and_good_governance_are_not_what_they_sound_like():
    """GUIDELINES.md: human-rights education is education only when it is about the education
    system; corruption is corruption, misuse of funds, their integrity, not good governance as such."""
    police, school, gov = get_lexicon().analyse([
        "Continue human rights education and training for the police",
        "Integrate human rights education into school curricula",
        "Strengthen good governance and the rule of law",
    ])
    assert ("esc_rights", "education") not in police.matches
    assert school.matches[("esc_rights", "education")] == ("school", "curricula")
    assert ("fiscal", "corruption") not in gov.matches


def test_fiscal_words_in_other_senses_do_not_count():
    """GUIDELINES.md: austerity is about economic crises, taxation about tax and revenue policy,
    budget allocation about public funds; a trial found these read as fiscal."""
    found = get_lexicon().analyse([
        "Ensure the rights of fathers through an earmarked quota in parental leave",
        "Address resource-based conflicts",
        "Lift restrictions on foreign funding of NGOs",
        "Ensure the fiscal autonomy of the human rights commission",
        "Provide assistance to victims of the humanitarian crisis in Darfur",
        "Protect social spending in times of crisis",
    ])
    fiscal = [{lab for fam, lab in a.matches if fam == "fiscal"} for a in found]
    assert fiscal[:5] == [set(), set(), set(), set(), set()]
    assert fiscal[5] == {"austerity", "budget_allocation"}


def test_names_that_only_sound_like_a_right_are_not_it():
    """Lexicon 1.7.0, from an audit of every tag on the working-group reports: ILO Convention 169
    is on indigenous peoples, not work; 'Re-education through labour' is detention; human-rights
    training and public education measures are not the education system (GUIDELINES.md)."""
    found = get_lexicon().analyse([
        "Ratify ILO Convention No. 169 on indigenous and tribal peoples",
        "Ratify ILO Convention No. 138 on the minimum age for admission to employment",
        "Abolish the system of Re-Education Through Labour",
        "Incorporate human rights training and education strategies in public policies",
        "Strengthen public education measures, including awareness-raising programmes",
    ])
    esc = [{lab for fam, lab in a.matches if fam == "esc_rights"} for a in found]
    assert esc == [set(), {"work"}, set(), set(), set()]
    assert ("groups", "indigenous_peoples") in found[0].matches


def test_rights_written_in_other_ways_are_found():
    """Lexicon 1.7.0: the Migrant Workers Convention by its acronym (as by its name), work
    opportunities, medical treatment, and ESC rights written without commas; 'economic and social
    development' and the development goals alone are neither ESC rights nor international
    cooperation (GUIDELINES.md: development framed as ESC rights; aid with a financial dimension)."""
    found = get_lexicon().analyse([
        "Consider ratifying ICRMW",
        "Improve the employability of young people and create work opportunities",
        "Ensure access to adequate medical treatment in prisons",
        "Guarantee economic social and cultural rights for all",
        "Bridge the gap in economic and social development between regions",
        "Achieve the Millennium Development Goals and the Sustainable Development Goals",
    ])
    esc = [{lab for fam, lab in a.matches if fam == "esc_rights"} for a in found]
    assert esc[:5] == [{"work"}, {"work"}, {"health"}, {"esc_general"}, set()]
    assert not any(fam == "fiscal" for fam, _ in found[5].matches)


def test_the_committees_name_is_not_esc_rights_and_cuts_are_austerity():
    """Lexicon 1.8.0, from a fiscal researcher's trial: compilations quote 'the Committee on Economic,
    Social and Cultural Rights' on any subject (it was esc_general on anti-discrimination); spending
    cuts and gender budgeting are named as GUIDELINES.md names them."""
    cescr, both, cuts, gender = get_lexicon().analyse([
        "The Committee on Economic, Social and Cultural Rights recommended combating discrimination",
        "Implement the Committee on Economic, Social and Cultural Rights' views on economic, social and "
        "cultural rights",
        "Protect official development assistance from budgetary cuts",
        "Introduce gender-responsive budgets",
    ])
    assert ("esc_rights", "esc_general") not in cescr.matches
    assert both.matches[("esc_rights", "esc_general")] == ("economic, social and cultural rights",)
    assert cuts.matches[("fiscal", "austerity")] == ("budgetary cuts",)
    assert ("fiscal", "budget_transparency") in gender.matches

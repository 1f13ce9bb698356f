"""The agreement's text: the contract form's own (`agreement_nl` in the region's rules), or the
standard text below for the form's tenant.

The standard text is a region's data in the language of the contract (Dutch): a legal document,
not an interface string. Fields in braces are filled from the case; nothing else is evaluated.
"""

import re
from dataclasses import dataclass

from .models import PLACEHOLDER

STANDARD_THREE_PARTY = """## Artikel 1 Partijen
{corporation} (verhuurder), {tenant}, geboren op {date_of_birth} (huurder), en {support_provider} (woonbegeleiding) sluiten deze driehoeksovereenkomst binnen {scheme}, dossier {case_number}.

## Artikel 2 De woning
De verhuurder verhuurt aan de huurder de woning {address} te {municipality}, met ingang van {start_date}, tegen een kale huur van € {rent} per maand. De huurovereenkomst van de verhuurder is op deze overeenkomst van toepassing.

## Artikel 3 Woonbegeleiding
De huurder ontvangt gedurende {support_months} maanden woonbegeleiding van {support_provider}. De huurder werkt mee aan de begeleiding en aan de kennismakings- en evaluatiegesprekken volgens de regionale werkwijze en checklist.

## Artikel 4 Signalen
Verhuurder en woonbegeleiding informeren elkaar tijdig over signalen zoals overlast, huurachterstand, zorgmijding of verwaarlozing van de woning. Zij stellen samen met de huurder een plan van aanpak op; zo nodig wordt de situatie besproken aan de regionale casuïstiektafel.

## Artikel 5 Omklap
Na een positieve eindevaluatie wordt deze overeenkomst omgezet in {conversion}. De eindevaluatie kan ook leiden tot verlenging van de begeleiding of tot beëindiging van de begeleiding.

## Artikel 6 Privacy
Partijen delen alleen de gegevens die voor deze overeenkomst nodig zijn, met toestemming van de huurder."""

STANDARD_CARE_LEASE = """## Artikel 1 Partijen
{corporation} (verhuurder) en {support_provider} (huurder en zorgaanbieder) sluiten deze overeenkomst binnen {scheme}, dossier {case_number}, ten behoeve van {tenant}, geboren op {date_of_birth} (bewoner).

## Artikel 2 De woning
De verhuurder verhuurt de woning {address} te {municipality} met ingang van {start_date} aan de zorgaanbieder, tegen een kale huur van € {rent} per maand. De zorgaanbieder stelt de woning ter beschikking aan de bewoner.

## Artikel 3 Woonbegeleiding
De bewoner ontvangt woonbegeleiding van de zorgaanbieder; de eerste evaluatie van de begeleiding vindt plaats na {support_months} maanden.

## Artikel 4 Signalen
Verhuurder en zorgaanbieder informeren elkaar tijdig over signalen zoals overlast, huurachterstand, zorgmijding of verwaarlozing van de woning en stellen een plan van aanpak op.

## Artikel 5 Omklap
Wanneer de eindevaluatie positief is, volgt voor de bewoner {conversion}.

## Artikel 6 Privacy
Partijen delen alleen de gegevens die voor deze overeenkomst nodig zijn, met toestemming van de bewoner."""


# Until the keys are handed over there is no start date: the sentence says how it will be set
# (the landlord records the signing and the key handover), instead of a dash.
START_DATE_UNKNOWN = (
    "de dag van de sleuteloverdracht, die de verhuurder bij de ondertekening vastlegt"
)

# A scheme's name takes "het" when its first word is a het-word ("het Pact voor uitstroom",
# "het Convenant ..."), otherwise "de" ("de Uitstroomregeling ...", "de regio ...").
HET_WORDS = frozenset(
    {
        "akkoord",
        "convenant",
        "netwerk",
        "pact",
        "platform",
        "programma",
        "project",
        "samenwerkingsverband",
        "servicepunt",
        "verbond",
    }
)


def with_article(name: str) -> str:
    """The scheme's name with its Dutch article: "het Pact voor uitstroom ..."."""
    words = name.split(maxsplit=1)
    first = words[0].lower() if words else ""
    return f"{'het' if first in HET_WORDS else 'de'} {name}"


@dataclass(frozen=True)
class Article:
    heading: str
    paragraphs: list[str]


def fill(text: str, values: dict[str, str]) -> list[Article]:
    """Split the text into articles and fill in the fields (unknown fields stay as written;
    the settings form refuses them)."""
    filled = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
    articles: list[Article] = []
    for block in re.split(r"\n\s*\n", filled.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            articles.append(
                Article(lines[0][3:].strip(), [" ".join(lines[1:])] if lines[1:] else [])
            )
        elif articles:
            articles[-1].paragraphs.append(" ".join(lines))
        else:
            articles.append(Article("", [" ".join(lines)]))
    return articles

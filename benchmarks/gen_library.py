#!/usr/bin/env python3
"""Generate a library of synthetic briefings for benchmarks.

    python benchmarks/gen_library.py N OUTDIR [--size-kb KB | --source-kb 10]
                                     [--sources 10] [--seed 1] [--jobs J]

Each briefing is shaped like a real one: a [briefing] table, ~10 BLUF
points, ~40 actors (with aliases, accented names such as "Goïta"), ~60
timeline events with mixed date precision (TOML dates, "YYYY-MM" and "YYYY"
strings) and ``--sources`` sources, half with inline ``text = \"\"\"...\"\"\"``
and half with ``text_file = "<name>/src-NN.txt"`` in a folder beside the
briefing -- the layout of ``content/minusma.toml`` + ``content/minusma/``.

Text is pseudo-English drawn from a Zipf-weighted word list (a few function
words are very common, domain words common, a tier of rare words rare) with
accented person and place names sprinkled in, and years, so queries such as
"goita", "menaka", "security council", "wagner 2023" have realistic hit
rates. ``--size-kb`` aims for a total size per briefing (the TOML file plus
its text files); otherwise each source text is ``--source-kb`` KB.

Deterministic: briefing i is generated from Random(f"{seed}:{i}") alone, so
the output does not depend on --jobs. Pure standard library.

Writes OUTDIR/brief-NNNN.toml and OUTDIR/brief-NNNN/src-NN.txt, plus
OUTDIR/MANIFEST.txt describing the run (not a .toml, so it is not a briefing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import sys
import time
import unicodedata
from pathlib import Path

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------
FUNCTION = """the of and to in a that for on was with as by is it at from his
its this be were are an which or had has have their not but they after also
been who more than its into over against while since would could about under
between other there all two new most some when where only before during""".split()

GENERAL = """government country forces group groups people state security
mission report year years north central region town towns area city military
army attack attacks troops local political national international authorities
officials support years month months week weeks president minister ministry
power control leaders leader members member agreement peace process talks
deal force operations operation armed civilian civilians population villages
village road roads border camp base bases police violence conflict crisis
transition transitional junta coup election elections constitution referendum
council decision request withdrawal departure presence role order law public
economic aid humanitarian food water health schools prices gold mining trade
routes market markets fighting fighters killed dozens hundreds thousands
displaced refugees returned reported announced said told warned claimed denied
accused agreed signed rejected called asked ordered moved took left held
began ended continued increased reduced lost gained across within around
several many few large small major key main early late former current
regional foreign domestic senior joint western eastern southern northern
rural urban new old first second third last next previous recent strong weak
clear direct indirect formal informal partial full limited wider broader
""".split()

DOMAIN = """peacekeepers peacekeeping stabilisation stabilization mandate
blue helmets contingent contingents battalion convoy convoys patrol patrols
checkpoint checkpoints airstrip airport helicopter helicopters drone drones
jihadist jihadists insurgents insurgency militia militias self-defence
mercenaries instructors sanctions embargo ceasefire mediation negotiators
accord signatory signatories rebellion rebels separatist separatists
autonomy federalism decentralisation disarmament demobilisation
reintegration cantonment ambush ambushes landmine landmines explosive
improvised kidnapping hostages abductions executions massacre abuses
investigation inquiry accountability impunity tribunal prosecutors
headquarters deployment redeployment drawdown handover logistics supply
airlift bureaucracy communiqué spokesman envoy delegation summit
resolution resolutions veto abstention diplomacy diplomats embassy
ambassador partnership cooperation counterterrorism intelligence
surveillance reconnaissance gendarmerie garrison outpost outposts
herders farmers pastoralists livestock cattle harvest drought floods
smuggling traffickers trafficking migrants migration remittances
""".split()

RARE = """transhumance sorghum baobab harmattan caravan calabash griot
marabout madrasa tamasheq songhai fulfulde bambara dogon tuareg arabophone
kel-adagh imghad ifoghas lamhar tilemsi azawad gourma hombori boni douentza
tessit inaghalawass anderamboukane talataye tidermène intahaka essakane
sahelian niger-bend tinzaouaten borderlands salt-mine uranium phosphate
cotton shea millet fonio acacia wadi wells oasis dunes escarpment
pirogue ferry bridgehead""".split()

# Names: (display, weight). Accented where the real spelling is.
PEOPLE = [
    ("Assimi Goïta", 30), ("Abdoulaye Diop", 18), ("Choguel Kokalla Maïga", 14),
    ("Iyad Ag Ghaly", 14), ("Amadou Koufa", 12), ("Ibrahim Boubacar Keïta", 12),
    ("Bah N'Daw", 6), ("Moctar Ouane", 6), ("Sadio Camara", 10), ("Ismaël Wagué", 8),
    ("Malick Diaw", 6), ("El-Ghassim Wane", 10), ("Mahamat Saleh Annadif", 8),
    ("Yevgeny Prigozhin", 10), ("Emmanuel Macron", 8), ("António Guterres", 10),
    ("Alghabass Ag Intalla", 6), ("Bilal Ag Acherif", 6), ("Abdoulaye Maïga", 6),
    ("Mahmoud Dicko", 6), ("Mohamed Bazoum", 6), ("Ibrahim Traoré", 6),
    ("Jean-Hervé Jézéquel", 3), ("Fatoumata Sidibé", 3), ("Aminata Dicko", 3),
]
PLACES = [
    ("Ménaka", 25), ("Kidal", 25), ("Gao", 25), ("Tombouctou", 12), ("Timbuktu", 12),
    ("Mopti", 18), ("Ségou", 12), ("Bamako", 30), ("Tessalit", 8), ("Aguelhok", 8),
    ("Anéfis", 6), ("Léré", 6), ("Niono", 6), ("Diabaly", 4), ("Konna", 6),
    ("Sévaré", 8), ("Bandiagara", 6), ("Ansongo", 6), ("Tillabéri", 8), ("Niamey", 10),
    ("Ouagadougou", 10), ("Nouakchott", 6), ("Algiers", 6), ("Tinzaouaten", 4),
    ("Bourem", 5), ("Goundam", 4), ("Djenné", 4), ("Kayes", 5), ("Sikasso", 5),
]
ORGS = [
    ("MINUSMA", "mission", 30), ("Opération Barkhane", "armed-force", 12),
    ("Wagner Group", "company", 18), ("ECOWAS", "organisation", 14),
    ("African Union", "organisation", 8), ("UN Security Council", "organisation", 20),
    ("Forces Armées Maliennes", "armed-force", 16), ("Coordination des Mouvements de l'Azawad", "armed-group", 10),
    ("Plateforme", "armed-group", 6), ("JNIM", "armed-group", 16),
    ("Islamic State Sahel Province", "armed-group", 12), ("Task Force Takuba", "armed-force", 6),
    ("EUTM Mali", "mission", 6), ("G5 Sahel", "organisation", 6), ("HCUA", "armed-group", 5),
    ("MNLA", "armed-group", 6), ("Ansar Dine", "armed-group", 6), ("Katiba Macina", "armed-group", 6),
    ("Dan Na Ambassagou", "armed-group", 5), ("Government of Mali", "government", 20),
    ("Government of France", "government", 10), ("Russian Federation", "country", 10),
    ("Human Rights Watch", "organisation", 5), ("Médecins Sans Frontières", "organisation", 4),
]
# Unaccented spellings that English-language sources also use.
PLAIN = {"Goïta": "Goita", "Ménaka": "Menaka", "Ségou": "Segou", "Maïga": "Maiga",
         "Keïta": "Keita", "Anéfis": "Anefis", "Sévaré": "Sevare", "Tillabéri": "Tillaberi",
         "Djenné": "Djenne", "Léré": "Lere", "Wagué": "Wague", "Ismaël": "Ismael"}
FIRST = "Moussa Ibrahim Amadou Oumar Fatoumata Aminata Mariam Souleymane Boubacar Hamadoun Abdoul Youssouf Salif Kadiatou Awa Cheick Seydou Modibo Issa Hawa".split()
LAST = "Traoré Keïta Diarra Coulibaly Maïga Touré Cissé Sidibé Koné Sangaré Diallo Dicko Sissoko Konaté Bagayoko Dembélé Doumbia Kanté Haïdara Ag Attaher".split()
PUBLISHERS = ["International Crisis Group", "Institute for Security Studies", "The Soufan Center",
              "UN News", "Human Rights Watch", "Reuters", "Agence France-Presse", "Le Monde",
              "Jeune Afrique", "ACLED", "Security Council Report", "RFI", "Al Jazeera"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
YEARS = list(range(2012, 2025))


def _tier(words: list[str], share: float, s: float, offset: int) -> list[float]:
    """Zipf-like weights (1/(rank+offset)^s) for one tier, summing to ``share``."""
    raw = [1.0 / (r + offset) ** s for r in range(len(words))]
    total = sum(raw)
    return [share * x / total for x in raw]


def _build_vocab() -> tuple[list[str], list[float]]:
    shuffle = random.Random("vocab")
    general, domain = GENERAL[:], DOMAIN[:]
    shuffle.shuffle(general)
    shuffle.shuffle(domain)
    words = FUNCTION + general + domain + RARE
    # Shares of tokens: function words ~50% ("the" ~7%), general ~38% (top
    # word ~1%), domain ~12% (top ~0.4%); each rare word ~3.5 per million.
    w = _tier(FUNCTION, 0.50, 1.0, 1) + _tier(general, 0.38, 0.8, 8) + _tier(domain, 0.12, 0.8, 8)
    w += [0.0000035] * len(RARE)
    return words, list(itertools.accumulate(w))


VOCAB, VOCAB_CUM = _build_vocab()


def _spell(name: str, rng: random.Random) -> str:
    """Accented names appear unaccented about a third of the time."""
    if rng.random() < 0.33:
        for acc, plain in PLAIN.items():
            if acc in name:
                name = name.replace(acc, plain)
    return name


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------
class Writer:
    """Pseudo-English for one briefing, with its own names sprinkled in."""

    def __init__(self, rng: random.Random, names: list[str], weights: list[float]):
        self.rng = rng
        self.names = names
        self.names_cum = list(itertools.accumulate(weights))

    def sentence(self) -> str:
        rng = self.rng
        n = rng.randint(8, 24)
        words = rng.choices(VOCAB, cum_weights=VOCAB_CUM, k=n)
        r = rng.random()
        if r < 0.45:  # a name
            name = rng.choices(self.names, cum_weights=self.names_cum)[0]
            words.insert(rng.randrange(n), _spell(name, rng))
        if r < 0.12 or r > 0.9:  # a second name
            name = rng.choices(self.names, cum_weights=self.names_cum)[0]
            words.insert(rng.randrange(len(words)), _spell(name, rng))
        if rng.random() < 0.12:
            y = rng.choice(YEARS)
            words.insert(rng.randrange(len(words)), f"in {rng.choice(MONTHS)} {y}" if rng.random() < 0.5 else f"in {y}")
        if rng.random() < 0.25:
            words.insert(rng.randrange(1, len(words)), words.pop(rng.randrange(len(words))) + ",")
        first = words[0]
        words[0] = first[:1].upper() + first[1:]
        return " ".join(words).rstrip(",") + "."

    def sentences(self, lo: int, hi: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def body(self, target_bytes: int) -> str:
        """Paragraphs wrapped at ~76 columns, until ``target_bytes`` of UTF-8."""
        rng = self.rng
        paras: list[str] = []
        size = 0
        while size < target_bytes:
            words = self.sentences(3, 7).split(" ")
            lines, line, width = [], [], 0
            for w in words:
                if width + len(w) > 76 and line:
                    lines.append(" ".join(line))
                    line, width = [], 0
                line.append(w)
                width += len(w) + 1
            lines.append(" ".join(line))
            para = "\n".join(lines)
            paras.append(para)
            size += len(para.encode("utf-8")) + 2
            if rng.random() < 0.08:  # a short heading line, like the real sources
                head = self.sentence().rstrip(".").split(" ")[:4]
                paras.append(" ".join(head))
        return "\n\n".join(paras) + "\n"


# --------------------------------------------------------------------------
# TOML
# --------------------------------------------------------------------------
def q(s: str) -> str:
    """A TOML basic string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def qlist(items: list[str]) -> str:
    return "[" + ", ".join(q(s) for s in items) + "]"


def date_value(rng: random.Random, lo: int = 2012, hi: int = 2024) -> str:
    y = rng.randint(lo, hi)
    r = rng.random()
    if r < 0.6:
        d = dt.date(y, 1, 1) + dt.timedelta(days=rng.randrange(365))
        return d.isoformat()  # a TOML local date
    if r < 0.85:
        return q(f"{y}-{rng.randint(1, 12):02d}")
    return q(str(y))


def slug(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    out = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def make_briefing(i: int, seed: int, n_sources: int, source_kb: float | None, size_kb: float | None) -> tuple[str, dict[str, str]]:
    """The TOML text of briefing ``i`` and its text files {relative path: text}."""
    rng = random.Random(f"{seed}:{i}")
    stem = f"brief-{i:04d}"

    # Actors: ~40, drawn from people, organisations, and generated people.
    # Goïta is in ~40% of briefings; the other notable people are sampled.
    others = rng.sample(PEOPLE[1:], k=rng.randint(7, 13))
    people = [p for p in PEOPLE if p in others or (p is PEOPLE[0] and rng.random() < 0.4)]
    orgs = rng.sample(ORGS, k=rng.randint(10, 16))
    n_actors = rng.randint(36, 44)
    generated = set()
    while len(people) + len(orgs) + len(generated) < n_actors:
        generated.add(f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    places = rng.sample(PLACES, k=rng.randint(8, 14))

    actors = []  # (id, name, aliases, kind, affiliation, weight)
    used_ids: set[str] = set()

    def add_actor(name: str, aliases: list[str], kind: str, weight: float) -> None:
        ident = slug(name)[:24] or "actor"
        base, n = ident, 2
        while ident in used_ids:
            ident, n = f"{base}-{n}", n + 1
        used_ids.add(ident)
        actors.append((ident, name, aliases, kind, weight))

    for name, w in people:
        surname = name.split(" ")[-1]
        aliases = list(dict.fromkeys([surname, PLAIN.get(surname, surname)]))
        if rng.random() < 0.4:
            aliases.append(f"{rng.choice(['Colonel', 'General', 'Minister', 'Sheikh', 'Mr'])} {surname}")
        add_actor(name, aliases, "person", w)
    for name, kind, w in orgs:
        aliases = [w_ for w_ in {"MINUSMA": ["UN mission in Mali", "the Mission"],
                                 "Wagner Group": ["Wagner", "PMC Wagner", "Africa Corps"],
                                 "Forces Armées Maliennes": ["FAMa", "Malian army"],
                                 "JNIM": ["Jama'at Nusrat al-Islam wal-Muslimin", "GSIM"],
                                 "Islamic State Sahel Province": ["ISSP", "EIGS", "ISGS"],
                                 "UN Security Council": ["Security Council", "UNSC"],
                                 "Coordination des Mouvements de l'Azawad": ["CMA", "CSP-PSD"],
                                 "ECOWAS": ["CEDEAO", "Economic Community of West African States"],
                                 }.get(name, [])]
        add_actor(name, aliases, kind, w)
    for name in sorted(generated):
        add_actor(name, [name.split(" ")[-1]], rng.choice(["person", "person", "other"]), 2)

    # The text of this briefing mentions its own actors and places.
    names = [a[1] for a in actors] + [a[2][0] for a in actors if a[2]] + [p for p, _ in places]
    weights = [a[4] for a in actors] + [a[4] / 2 for a in actors if a[2]] + [w for _, w in places]
    wr = Writer(rng, names, weights)
    place_names = [p for p, _ in places]
    actor_ids = [a[0] for a in actors]

    src_ids = [f"src-{k + 1:02d}" for k in range(n_sources)]
    cites = lambda: sorted(rng.sample(src_ids, k=min(len(src_ids), rng.choice([1, 1, 2, 3]))))  # noqa: E731

    region = rng.choice(["Mali", "Sahel", "Central Sahel", "Liptako-Gourma", "Northern Mali"])
    topic = rng.choice(["withdrawal", "security", "transition", "peace process", "humanitarian access",
                        "armed groups", "mining", "elections", "sanctions"])
    out: list[str] = [f"# Synthetic briefing {i} (benchmarks/gen_library.py, seed {seed})", "[briefing]"]
    out.append(f"title = {q(f'{rng.choice(place_names)}: {topic} ({i:04d})')}")
    as_of = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
    out.append(f"as_of = {as_of.isoformat()}")
    out.append(f"summary = {q(wr.sentences(1, 2))}")
    out.append('classification = "UNCLASSIFIED"')
    out.append(f"region = {q(region)}")
    out.append(f"tags = {qlist(sorted({slug(topic), slug(region), 'synthetic'}))}")

    for _ in range(rng.randint(8, 12)):
        out += ["", "[[bluf]]", f"text = {q(wr.sentences(1, 2))}", f"sources = {qlist(cites())}"]
        if rng.random() < 0.8:
            out.append(f"confidence = {q(rng.choice(['low', 'moderate', 'high']))}")

    for ident, name, aliases, kind, _w in actors:
        out += ["", "[[actors]]", f"id = {q(ident)}", f"name = {q(name)}"]
        if aliases:
            out.append(f"aliases = {qlist(aliases)}")
        out.append(f"kind = {q(kind)}")
        if rng.random() < 0.6:
            out.append(f"affiliation = {q(rng.choice(ORGS)[0])}")
        out.append(f"summary = {q(wr.sentences(1, 3))}")
        out.append(f"sources = {qlist(cites())}")

    for _ in range(rng.randint(54, 66)):
        out += ["", "[[timeline]]", f"date = {date_value(rng)}",
                f"title = {q(' '.join(wr.sentence().rstrip('.').split(' ')[:rng.randint(5, 10)]))}"]
        if rng.random() < 0.9:
            out.append(f"detail = {q(wr.sentences(1, 4))}")
        out.append(f"actors = {qlist(sorted(rng.sample(actor_ids, k=rng.randint(1, 3))))}")
        out.append(f"places = {qlist(rng.sample(place_names, k=rng.randint(1, 2)))}")
        out.append(f"sources = {qlist(cites())}")

    skeleton = "\n".join(out)
    src_meta: list[list[str]] = []
    for k, ident in enumerate(src_ids):
        publisher = rng.choice(PUBLISHERS)
        title = " ".join(wr.sentence().rstrip(".").split(" ")[:rng.randint(4, 9)])
        meta = ["", "[[sources]]", f"id = {q(ident)}", f"title = {q(title)}",
                f"short = {q(publisher.split(' ')[0] + ' ' + str(rng.choice(YEARS)))}",
                f"publisher = {q(publisher)}",
                f"authors = {qlist([f'{rng.choice(FIRST)} {rng.choice(LAST)}' for _ in range(rng.randint(1, 3))])}",
                f"published = {date_value(rng)}",
                f"url = {q(f'https://example.org/{slug(publisher)}/{i:04d}/{ident}')}"]
        if rng.random() < 0.5:
            meta.append(f"note = {q(wr.sentences(1, 1))}")
        src_meta.append(meta)

    if size_kb is not None:
        fixed = len(skeleton.encode()) + sum(len("\n".join(m).encode()) for m in src_meta) + 40 * n_sources
        # body() overshoots by half a paragraph (~300 bytes) on average.
        per_source = max(200, int((size_kb * 1024 - fixed) / max(1, n_sources)) - 300)
    else:
        per_source = int((source_kb or 10) * 1024)

    files: dict[str, str] = {}
    for k, meta in enumerate(src_meta):
        text = wr.body(per_source)
        if k % 2 == 0:  # inline; the text never contains '"' or '\'
            meta.append(f'text = """\n{text}"""')
        else:
            rel = f"{stem}/{src_ids[k]}.txt"
            files[rel] = text
            meta.append(f"text_file = {q(rel)}")
        out += meta
    return "\n".join(out) + "\n", files


def _write_one(job: tuple[int, int, int, float | None, float | None, str]) -> int:
    i, seed, n_sources, source_kb, size_kb, outdir = job
    toml, files = make_briefing(i, seed, n_sources, source_kb, size_kb)
    root = Path(outdir)
    total = 0
    data = toml.encode("utf-8")
    (root / f"brief-{i:04d}.toml").write_bytes(data)
    total += len(data)
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        p.write_bytes(data)
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of briefings")
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--source-kb", type=float, default=10.0, help="KB of text per source (default 10)")
    ap.add_argument("--size-kb", type=float, default=None,
                    help="aim for this total size per briefing, TOML + text files (overrides --source-kb); "
                         "the parts other than source texts take ~35-45 KB, so that is the smallest size reached")
    ap.add_argument("--sources", type=int, default=10, help="sources per briefing (default 10)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    args = ap.parse_args(argv)

    args.outdir.mkdir(parents=True, exist_ok=True)
    stale = list(args.outdir.glob("brief-*.toml"))
    if stale:
        print(f"gen_library: {args.outdir} already holds {len(stale)} briefings; use an empty folder", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    jobs = [(i, args.seed, args.sources, args.source_kb, args.size_kb, str(args.outdir)) for i in range(args.n)]
    if args.jobs > 1 and args.n > 4:
        from multiprocessing import Pool

        with Pool(args.jobs) as pool:
            sizes = pool.map(_write_one, jobs, chunksize=8)
    else:
        sizes = [_write_one(j) for j in jobs]
    elapsed = time.perf_counter() - t0
    total = sum(sizes)
    avg = total / max(1, len(sizes)) / 1024
    (args.outdir / "MANIFEST.txt").write_text(
        f"generated by benchmarks/gen_library.py {' '.join(sys.argv[1:] if argv is None else argv)}\n"
        f"briefings: {args.n}\nbytes: {total}\naverage KB per briefing: {avg:.1f}\n"
    )
    print(f"wrote {args.n} briefings to {args.outdir}: {total / 1e6:.1f} MB, "
          f"{avg:.1f} KB per briefing (TOML + text files), in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Every text a visitor can read, in every language, in one table.

``t(key, lang, **fmt)`` looks a text up; a key missing in a language falls back to English,
and nothing here ever raises, so a typo costs a visible key name, not a crashed exhibit.
German addresses the visitor as "du", as museums for all ages usually do. Numbers go through
``number()`` / ``percent()`` so German gets its decimal comma.

Texts are short, one idea per line, readable at arm's length; ``{name}`` marks a value
filled in at run time and every language uses the same names.
"""
from __future__ import annotations

import string

LANGUAGES = ("en", "de")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        # --- title and language -------------------------------------------------------
        "title": "Neuron Lab",
        "intro": "A real neural network is learning to read handwritten digits, right here.",
        "language.switch": "Deutsch",  # the button shows the language it switches to
        # --- stats --------------------------------------------------------------------
        "stat.epoch": "Epoch",
        "stat.samples": "Digits seen",
        "stat.loss": "Training loss",
        "stat.accuracy": "Test accuracy",
        "stat.parameters": "Parameters",
        "stat.status": "Status",
        "stat.speed": "Speed",
        "stat.speed_value": "{rate} digits/s",
        "stat.lr": "Learning rate η",
        "stat.batch": "Batch size",
        "status.idle": "waiting",
        "status.training": "learning",
        "status.paused": "paused",
        "status.probing": "being tested",
        "status.drawing": "reading your drawing",
        # --- gradient check badge -----------------------------------------------------
        "gradcheck.pending": "∇-check: measuring…",
        "gradcheck.passed": "∇-check passed · error {error}",
        "gradcheck.failed": "∇-check FAILED · error {error}",
        # --- legend -------------------------------------------------------------------
        "legend.title": "How to read it",
        "legend.forward": "Forward: the signal flows in",
        "legend.excite": "Warm line: pushes up (+ weight)",
        "legend.inhibit": "Cool line: holds back (− weight)",
        "legend.backward": "Backward: blame flows back",
        "legend.pulse": "Pulse: a correction on its way →",
        "legend.lines": "Lines = what it has learned (weights)",
        "legend.balls": "Balls = how strongly each neuron fires for this image",
        "wires.title": "Lines show",
        "wires.signal": "Signal",
        "wires.weight": "Weight",
        "wires.gradient": "Correction",
        # --- camera -------------------------------------------------------------------
        "camera.hint": "One finger: turn · Two fingers: move · Pinch: zoom · Tap a ball: look inside",
        "camera.reset": "Reset view",
        # --- layers, and what is known vs learned ---------------------------------------
        "layer.input": "Input",
        "layer.hidden1": "Hidden 1",
        "layer.hidden2": "Hidden 2",
        "layer.output": "Output",
        "known.title": "What we give it, what it works out",
        "known.input": "Given: the pixels of the image",
        "known.hidden1": "Worked out: its weights and their meaning. No answers given here.",
        "known.hidden2": "Worked out: its weights and their meaning. No answers given here.",
        "known.output": "Given: what each neuron means and the right answer. Worked out: its weights.",
        "known.explain": ("Nobody set a single line by hand: every weight is found by training. "
                          "We chose the layers and their sizes. The hidden neurons never see "
                          "the answer; they only get blame passed back from the output."),
        # --- inside the neuron ----------------------------------------------------------
        "inspector.title": "Inside the neuron",
        "inspector.pick": "Tap a ball to choose a neuron",
        "inspector.neuron": "{layer} · neuron {index}",
        "inspector.sum": "Its sum, one input at a time",
        "inspector.from": "from {layer} {index}",
        "inspector.bias": "Bias",
        "inspector.total": "Total z",
        "inspector.relu": "ReLU(z): anything below 0 becomes 0",
        "inspector.softmax": "Softmax: its chance p",
        "inspector.rest": "The other {n}, added up",
        "inspector.looks_for": "What it looks for",
        "features.title": "What the 16 neurons of Hidden 1 look for · tap one",
        "mistakes.title": "Test digits it gets wrong right now · tap one",
        "mistakes.none": "It reads every test digit here correctly",
        "mistakes.count": "{n} of {total} wrong",
        "inspector.pixel": "Its pixel: row {row}, column {col}",
        "inspector.target": "Right answer",
        "inspector.error": "Error",
        "inspector.close": "Close",
        "bright.title": "Why is a line bright?",
        "bright.body": ("Each line carries one number: how strongly its neuron fires, times "
                        "its weight. Strong firing or a big weight makes a bright line. Warm "
                        "lines push the next neuron up, cool lines hold it back. Touch a bar "
                        "to light up its line."),
        # --- supervision ----------------------------------------------------------------
        "super.title": "Learning from examples",
        "super.image": "The image (always given)",
        "super.answer": "Right answer",
        "super.guess": "Network's guess",
        "super.loss": "Loss: how wrong it was",
        "super.correction": "Correction sent backward",
        "super.explain": ("While it learns, each image comes with its answer, and every weight "
                          "moves a little towards it. In a test the answer stays hidden: the "
                          "network has to find it alone."),
        "super.withheld": "Answer hidden: the network is on its own",
        # --- output panel ---------------------------------------------------------------
        "output.title": "The 10 answer neurons",
        "output.explain": "They compete. Softmax turns their scores into chances.",
        "output.sum": "All 10 together: {total}",
        "output.guess": "Its guess: {digit}",
        # --- probe and draw -------------------------------------------------------------
        "probe.title": "Test it",
        "probe.step": "Choose a digit to send it in. Watch the network answer.",
        "probe.clean": "Send a clean digit",
        "probe.random": "Random test image",
        "draw.title": "Draw a digit",
        "draw.step1": "1. Draw a digit with your finger",
        "draw.step2": "2. Watch the network fire",
        "draw.step3": "3. Read its guess on the right",
        "draw.paint": "Paint",
        "draw.eraser": "Eraser",
        "draw.clear": "Clear",
        "draw.receives": "What the network sees",
        # --- about the data -------------------------------------------------------------
        "data.title": "Where the digits come from",
        "data.body": ("A program draws them stroke by stroke, in many handwriting styles. "
                      "Each one is shifted, turned, stretched and smudged a little, so no "
                      "two are alike: this is called augmentation."),
        "data.mnist": ("Not MNIST: that famous collection of real handwriting uses 28×28 "
                       "images. Ours are 16×16, so every line stays visible."),
        "data.arch": "256 → 16 → 12 → 10 · ReLU · softmax · momentum SGD",
        # --- controls -------------------------------------------------------------------
        "speed.title": "Speed",
        "speed.pause": "Pause",
        "speed.play": "Play",
        "speed.step": "One step",
        "speed.level": "×{n}",
        "scene.graph": "Graph",
        "scene.inspect": "Inspect",
        "scene.draw": "Draw",
        "scene.probe": "Test",
        "reset.button": "Start over",
        "reset.learning": "Learning from scratch…",
        # --- attract mode and hints -------------------------------------------------------
        "attract.invite": "Touch to explore",
        "attract.tour_draw": "Someone draws a digit…",
        "attract.tour_fire": "…and the network fires, layer by layer",
        "attract.tour_neuron": "Inside one neuron: its sum, step by step",
        "attract.tour_learn": "From nothing, it learns to read",
        "hint.draw": "Try drawing a digit",
        "hint.tap": "Tap a ball to look inside",
        "notice.diverged": "Learning rate too high: went back a step and slowed down to η = {lr}",
    },
    "de": {
        "title": "Neuronen-Labor",
        "intro": "Ein echtes neuronales Netz lernt gerade, handgeschriebene Ziffern zu lesen.",
        "language.switch": "English",
        "stat.epoch": "Epoche",
        "stat.samples": "Gesehene Ziffern",
        "stat.loss": "Trainingsfehler",
        "stat.accuracy": "Trefferquote im Test",
        "stat.parameters": "Parameter",
        "stat.status": "Status",
        "stat.speed": "Tempo",
        "stat.speed_value": "{rate} Ziffern/s",
        "stat.lr": "Lernrate η",
        "stat.batch": "Stapelgröße",
        "status.idle": "wartet",
        "status.training": "lernt",
        "status.paused": "pausiert",
        "status.probing": "wird getestet",
        "status.drawing": "liest deine Zeichnung",
        "gradcheck.pending": "∇-Prüfung: misst…",
        "gradcheck.passed": "∇-Prüfung bestanden · Fehler {error}",
        "gradcheck.failed": "∇-Prüfung FEHLGESCHLAGEN · Fehler {error}",
        "legend.title": "So liest du das Bild",
        "legend.forward": "Vorwärts: das Signal fließt hinein",
        "legend.excite": "Warme Linie: treibt an (+ Gewicht)",
        "legend.inhibit": "Kühle Linie: bremst (− Gewicht)",
        "legend.backward": "Rückwärts: die Schuld fließt zurück",
        "legend.pulse": "Puls: eine Korrektur unterwegs →",
        "legend.lines": "Linien = was es gelernt hat (Gewichte)",
        "legend.balls": "Kugeln = wie stark jedes Neuron bei diesem Bild feuert",
        "wires.title": "Linien zeigen",
        "wires.signal": "Signal",
        "wires.weight": "Gewicht",
        "wires.gradient": "Korrektur",
        "camera.hint": ("Ein Finger: drehen · Zwei Finger: verschieben · Spreizen: zoomen · "
                        "Kugel antippen: hineinschauen"),
        "camera.reset": "Ansicht zurücksetzen",
        "layer.input": "Eingabe",
        "layer.hidden1": "Versteckt 1",
        "layer.hidden2": "Versteckt 2",
        "layer.output": "Ausgabe",
        "known.title": "Was wir vorgeben, was es selbst findet",
        "known.input": "Vorgegeben: die Pixel des Bildes",
        "known.hidden1": "Selbst gefunden: die Gewichte und ihre Bedeutung. Hier gibt es keine Antworten.",
        "known.hidden2": "Selbst gefunden: die Gewichte und ihre Bedeutung. Hier gibt es keine Antworten.",
        "known.output": ("Vorgegeben: was jedes Neuron bedeutet und die richtige Antwort. "
                         "Selbst gefunden: die Gewichte."),
        "known.explain": ("Keine einzige Linie wurde von Hand eingestellt: Jedes Gewicht findet "
                          "das Training. Wir haben nur die Schichten und ihre Größe gewählt. "
                          "Die versteckten Neuronen sehen nie die Antwort; sie bekommen nur "
                          "die Schuld, die von der Ausgabe zurückkommt."),
        "inspector.title": "Im Inneren des Neurons",
        "inspector.pick": "Tippe auf eine Kugel, um ein Neuron zu wählen",
        "inspector.neuron": "{layer} · Neuron {index}",
        "inspector.sum": "Seine Summe, Eingang für Eingang",
        "inspector.from": "von {layer} {index}",
        "inspector.bias": "Bias",
        "inspector.total": "Summe z",
        "inspector.relu": "ReLU(z): alles unter 0 wird 0",
        "inspector.softmax": "Softmax: seine Chance p",
        "inspector.rest": "Die übrigen {n}, zusammengezählt",
        "inspector.looks_for": "Wonach es sucht",
        "features.title": "Wonach die 16 Neuronen von Schicht 1 suchen · tippe eines an",
        "mistakes.title": "Testziffern, die es gerade falsch liest · tippe eine an",
        "mistakes.none": "Alle Testziffern hier liest es richtig",
        "mistakes.count": "{n} von {total} falsch",
        "inspector.pixel": "Sein Pixel: Zeile {row}, Spalte {col}",
        "inspector.target": "Richtige Antwort",
        "inspector.error": "Fehler",
        "inspector.close": "Schließen",
        "bright.title": "Warum leuchtet eine Linie?",
        "bright.body": ("Jede Linie trägt eine Zahl: wie stark ihr Neuron feuert, mal ihr "
                        "Gewicht. Starkes Feuern oder ein großes Gewicht ergibt eine helle "
                        "Linie. Warme Linien treiben das nächste Neuron an, kühle bremsen es. "
                        "Tippe auf einen Balken, dann leuchtet seine Linie auf."),
        "super.title": "Lernen an Beispielen",
        "super.image": "Das Bild (immer vorgegeben)",
        "super.answer": "Richtige Antwort",
        "super.guess": "Tipp des Netzes",
        "super.loss": "Fehler: wie falsch es lag",
        "super.correction": "Korrektur, rückwärts geschickt",
        "super.explain": ("Beim Lernen kommt jedes Bild mit seiner Antwort, und jedes Gewicht "
                          "rückt ein Stück in ihre Richtung. Im Test bleibt die Antwort "
                          "verborgen: Das Netz muss sie allein finden."),
        "super.withheld": "Antwort verborgen: das Netz ist auf sich gestellt",
        "output.title": "Die 10 Antwort-Neuronen",
        "output.explain": "Sie treten gegeneinander an. Softmax macht aus ihren Werten Chancen.",
        "output.sum": "Alle 10 zusammen: {total}",
        "output.guess": "Sein Tipp: {digit}",
        "probe.title": "Teste es",
        "probe.step": "Wähle eine Ziffer und schick sie hinein. Schau, was das Netz antwortet.",
        "probe.clean": "Saubere Ziffer schicken",
        "probe.random": "Zufälliges Testbild",
        "draw.title": "Zeichne eine Ziffer",
        "draw.step1": "1. Zeichne eine Ziffer mit dem Finger",
        "draw.step2": "2. Sieh zu, wie das Netz feuert",
        "draw.step3": "3. Rechts steht sein Tipp",
        "draw.paint": "Malen",
        "draw.eraser": "Radierer",
        "draw.clear": "Löschen",
        "draw.receives": "Was das Netz sieht",
        "data.title": "Woher die Ziffern kommen",
        "data.body": ("Ein Programm zeichnet sie Strich für Strich, in vielen Handschriften. "
                      "Jede wird ein wenig verschoben, gedreht, gestreckt und verwischt, "
                      "damit keine der anderen gleicht. Das nennt man Augmentierung."),
        "data.mnist": ("Nicht MNIST: Diese berühmte Sammlung echter Handschrift hat Bilder "
                       "mit 28×28 Pixeln. Unsere haben 16×16, damit jede Linie sichtbar bleibt."),
        "data.arch": "256 → 16 → 12 → 10 · ReLU · Softmax · SGD mit Momentum",
        "speed.title": "Tempo",
        "speed.pause": "Pause",
        "speed.play": "Weiter",
        "speed.step": "Ein Schritt",
        "speed.level": "×{n}",
        "scene.graph": "Netz",
        "scene.inspect": "Hineinschauen",
        "scene.draw": "Zeichnen",
        "scene.probe": "Testen",
        "reset.button": "Neu anfangen",
        "reset.learning": "Lernt von vorn…",
        "attract.invite": "Berühre den Bildschirm und entdecke",
        "attract.tour_draw": "Jemand zeichnet eine Ziffer…",
        "attract.tour_fire": "…und das Netz feuert, Schicht für Schicht",
        "attract.tour_neuron": "Blick in ein Neuron: seine Summe, Schritt für Schritt",
        "attract.tour_learn": "Aus dem Nichts lernt es lesen",
        "hint.draw": "Zeichne doch mal eine Ziffer",
        "hint.tap": "Tippe auf eine Kugel und schau hinein",
        "notice.diverged": "Lernrate zu hoch: einen Schritt zurück, jetzt langsamer mit η = {lr}",
    },
}

LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}

# Decimal and thousands marks per language.
_MARKS = {"en": (".", ","), "de": (",", ".")}


def t(key: str, lang: str, **fmt: object) -> str:
    """The text for ``key`` in ``lang`` (English where missing), with ``{name}`` filled in.

    Never raises: an unknown key returns the key itself, a missing value leaves its
    ``{name}`` showing, so a slip is visible in testing but cannot stop the exhibit.
    """
    text = STRINGS.get(lang, {}).get(key)
    if text is None:
        text = STRINGS["en"].get(key, key)
    if not fmt and "{" not in text:
        return text
    try:
        return text.format_map(_Keep(fmt))
    except (ValueError, IndexError, AttributeError):
        return text


class _Keep(dict):
    """format_map helper: a placeholder with no value stays as ``{name}``."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a text expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def next_language(lang: str, cycle: tuple[str, ...] = LANGUAGES) -> str:
    """The language after ``lang`` in ``cycle`` (for the language button and attract mode)."""
    if not cycle:
        return lang
    if lang not in cycle:
        return cycle[0]
    return cycle[(cycle.index(lang) + 1) % len(cycle)]


def number(x: float, lang: str, decimals: int = 0) -> str:
    """``12345.6`` -> ``"12,345.6"`` (en) or ``"12.345,6"`` (de)."""
    dec, thou = _MARKS.get(lang, _MARKS["en"])
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", dec).replace("\0", thou)


def percent(fraction: float, lang: str, decimals: int = 1) -> str:
    """``0.973`` -> ``"97.3%"`` (en) or ``"97,3 %"`` (de, with the space German typesetting uses)."""
    value = number(fraction * 100.0, lang, decimals)
    return value + ("\u00a0%" if lang == "de" else "%")


def all_characters() -> set[str]:
    """Every character any text uses: what the bundled font must be able to draw."""
    chars = set("0123456789.,%×")
    for table in STRINGS.values():
        for text in table.values():
            chars.update(text)
    return chars

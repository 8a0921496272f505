#!/usr/bin/env python3
"""Writes the tokenizer parity corpus (tests/text/corpus/) from a fixed seed; fetches nothing.

Files (one text per line, raw bytes, lines end with b"\\n"; pairs.txt holds pairs as two consecutive lines):
  ru_phrases.txt   generated Russian customer requests (telecom, banking): colloquial, typos, ё/й, mixed
                   Latin/Cyrillic look-alikes, transliteration, wrong keyboard layout, emoji
  banking77.txt    every text of Banking77 train + test (CC BY 4.0, see README.md)
  edge_cases.txt   one class of hard characters per block: Unicode whitespace, control and format characters,
                   punctuation and symbols, CJK, emoji, combining marks, case oddities, long words, added tokens
  random_unicode.txt random code points from every plane (valid UTF-8)
  invalid_utf8.txt invalid byte sequences (the reference decodes them with errors="replace")
  long.txt         long texts that truncation cuts
  pairs.txt        sentence pairs (question / context)
  sentencepiece_edges.jsonl  (one JSON string per line, so texts may hold newlines) what SentencePiece-style
                   tokenizers handle specially: leading, trailing and repeated spaces, tabs and newlines, CR LF,
                   literal <s> </s> <mask> text, NFD and NFKC-sensitive input, grapheme clusters behind
                   mapped characters, deletions, "\u2581" in the input, unknown runs, very long words

usage: make_corpus.py [--out tests/text/corpus] [--banking77 data/banking77] [--seed 20240601]
"""
import argparse
import csv
import json
import os
import random
import sys
import unicodedata

# ---------------------------------------------------------------------------------------------------------
# Russian customer phrases
# ---------------------------------------------------------------------------------------------------------

GREETINGS = ["", "", "", "Здравствуйте", "здравствуйте", "Добрый день", "добрый вечер", "Привет", "привет",
             "Алло", "Доброе утро", "Здрасте", "Хай", "Добрый", "Уважаемая поддержка", "Слушайте",
             "Девушка", "Извините", "Подскажите пожалуйста", "Помогите"]
OPENERS = ["", "", "у меня вопрос", "короче", "ну", "так", "блин", "слушайте", "а", "скажите", "подскажите",
           "объясните", "можно узнать", "хотел спросить", "хотела уточнить", "вопрос такой", "срочно",
           "помогите пожалуйста", "не могу понять", "третий день пытаюсь"]
REQUESTS = [
    "как проверить баланс", "сколько у меня осталось гигабайт", "почему списали деньги", "хочу сменить тариф",
    "как подключить тариф {tariff}", "отключите платную подписку", "не работает мобильный интернет",
    "интернет очень медленный", "пропала связь", "не могу дозвониться до {who}", "как пополнить счёт",
    "верните деньги за {service}", "заблокируйте сим-карту", "я потерял телефон", "как перенести номер",
    "хочу перейти со своим номером", "как включить роуминг", "сколько стоит звонок в {country}",
    "не приходят смс", "не приходит код подтверждения", "домашний интернет не работает с утра",
    "роутер мигает красным", "как настроить вай-фай", "телевидение показывает чёрный экран",
    "хочу расторгнуть договор", "как получить детализацию звонков", "мне пришёл счёт на {amount}",
    "почему такой большой счёт", "как подключить автоплатёж", "не проходит оплата картой",
    "где ближайший офис", "когда приедет мастер", "перезвоните мне на номер {phone}",
    "как восстановить сим-карту", "хочу есим", "подключите eSIM пожалуйста", "как раздать интернет с телефона",
    "не работает раздача", "не могу войти в личный кабинет", "забыл пароль от личного кабинета",
    "как отключить рекламу", "мне звонят спамеры", "подключите антиспам", "как узнать свой номер",
    "что за услуга {service}", "кто подключил мне {service}", "обещанный платёж как взять",
    "можно ли перенести остатки минут", "почему сгорели гигабайты", "хочу семейный тариф",
    "добавьте номер в семейную группу", "переоформить номер на мужа", "сменить владельца номера",
    "как поменять паспортные данные", "пришло уведомление о блокировке", "номер заблокирован",
    "верните номер", "карта не принимается банкоматом", "где моя новая карта", "как заказать карту",
    "перевод не дошёл", "как сделать перевод по номеру телефона", "снимите ограничение по карте",
    "почему заблокировали карту", "не работает apple pay", "кэшбэк не начислили", "как закрыть вклад",
    "хочу оформить кредит", "сколько процентов по ипотеке", "курс доллара какой", "комиссия за перевод",
    "списали дважды", "оплата зависла", "где посмотреть выписку", "как изменить пин-код",
    "приложение вылетает", "не обновляется приложение", "ошибка 403 при входе", "что значит ошибка {code}",
]
TAILS = ["", "", "", "", "пожалуйста", "плиз", "пж", "спасибо", "спс", "срочно!!!", "очень надо", "жду ответа",
         "заранее спасибо", "это уже не первый раз", "сколько можно", "ответьте уже", "?", "??", "...", ")",
         "((", ":)", "😡", "🙏", "👍", "😭😭", "!!!"]
TARIFFS = ["Безлимит", "«Мой онлайн»", "Супер 500", "Семейный", "Тарифище", "ВСЁ", "Smart", "Plus+", "Игровой",
           "Объединяй!", "Премиум", "Мой разговор", "Йота-Безлимит"]
WHO = ["оператора", "поддержки", "мамы", "банка", "службы доставки", "горячей линии", "такси"]
COUNTRIES = ["Турцию", "Казахстан", "Грузию", "Египет", "Китай", "ОАЭ", "Беларусь", "Армению", "Таиланд"]
SERVICES = ["Гудок", "Кинопоиск", "Яндекс Плюс", "мобильную подписку", "«Кто звонил»", "антивирус", "МТС Premium",
            "СберПрайм", "подписку на гороскоп", "контент-услугу"]
AMOUNTS = ["500р", "1 500 ₽", "2000 руб.", "999,99 руб", "12к", "$15", "100 рублей", "3.5 тыс", "1500р.", "0,01₽"]
CODES = ["500", "E-13", "0x80070005", "№17", "404", "AUTH_FAILED", "1024"]

# Latin letters that look like Cyrillic ones, for "mixed script" typing.
LOOKALIKE = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "А": "A", "В": "B",
             "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X"}
TRANSLIT = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
            "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
            "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
            "ь": "'", "э": "e", "ю": "yu", "я": "ya"}
# Russian ЙЦУКЕН keys typed with the US layout on (the classic "ghbdtn" for "привет").
RU = "йцукенгшщзхъфывапролджэячсмитьбю."
EN = "qwertyuiop[]asdfghjkl;'zxcvbnm,./"


def phone(rng):
    d = [str(rng.randrange(10)) for _ in range(10)]
    fmt = rng.choice(["+7 ({0}{1}{2}) {3}{4}{5}-{6}{7}-{8}{9}", "8{0}{1}{2}{3}{4}{5}{6}{7}{8}{9}",
                      "+7{0}{1}{2}{3}{4}{5}{6}{7}{8}{9}", "8-{0}{1}{2}-{3}{4}{5}-{6}{7}-{8}{9}"])
    return fmt.format(*d)


def typo(word, rng):
    if len(word) < 3:
        return word
    i = rng.randrange(len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("аоеиыпрлнт") + word[i + 1:]


def russian_phrase(rng):
    request = rng.choice(REQUESTS).format(tariff=rng.choice(TARIFFS), who=rng.choice(WHO),
                                          country=rng.choice(COUNTRIES), service=rng.choice(SERVICES),
                                          amount=rng.choice(AMOUNTS), phone=phone(rng), code=rng.choice(CODES))
    parts = [rng.choice(GREETINGS), rng.choice(OPENERS), request, rng.choice(TAILS)]
    sep = rng.choice([", ", " ", ". ", "! ", " - ", " — ", ",", "  "])
    text = sep.join(p for p in parts if p)
    style = rng.random()
    words = text.split(" ")
    if style < 0.15:
        words = [typo(w, rng) if rng.random() < 0.3 else w for w in words]
    elif style < 0.25:
        text = text.replace("ё", "е").replace("Ё", "Е")
    elif style < 0.30:
        text = text.replace("й", "и")
    elif style < 0.38:
        text = "".join(LOOKALIKE.get(c, c) if rng.random() < 0.3 else c for c in text)
    elif style < 0.46:
        text = "".join(TRANSLIT.get(c.lower(), c) for c in text)
    elif style < 0.50:
        table = {r: e for r, e in zip(RU, EN)}
        text = "".join(table.get(c.lower(), c) for c in text)
    elif style < 0.56:
        text = text.upper()
    elif style < 0.62:
        text = text.lower().replace(",", "").replace(".", "")
    elif style < 0.66:
        # decomposed й/ё (и + combining breve, е + combining diaeresis), as some phones send them
        text = unicodedata.normalize("NFD", text)
    if style >= 0.15 and style < 0.66:
        return text
    return " ".join(words) if style < 0.15 else text


# ---------------------------------------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------------------------------------

def edge_cases(rng):
    lines = []
    add = lines.append
    # Unicode whitespace (White_Space and Zs), line/paragraph separators, NEL, vertical tab, form feed.
    spaces = [0x09, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x180E, 0x2000, 0x2001,
              0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F,
              0x205F, 0x3000]
    for cp in spaces:
        add("баланс" + chr(cp) + "тариф" + chr(cp) + "card" + chr(cp) + chr(cp) + "x")
        add(chr(cp) + "Hello" + chr(cp))
    add("".join(chr(cp) for cp in spaces))
    # Control and format characters, zero-width characters, BOM, soft hyphen, private use, unassigned.
    controls = list(range(0x00, 0x09)) + [0x0E, 0x0F, 0x10, 0x1B, 0x7F, 0x80, 0x9F, 0xAD, 0x600, 0x61C, 0x6DD,
                                          0x70F, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202E,
                                          0x2060, 0x2061, 0x2064, 0x2066, 0x2069, 0xFEFF, 0xFFF9, 0xFFFB, 0xFFFC,
                                          0xFFFD, 0xE000, 0xF8FF, 0xF0000, 0x10FFFD, 0x1D173, 0xE0001, 0xE0020,
                                          0xE007F, 0x0378, 0x05C8, 0x0890, 0x0891, 0x08E2, 0x110CD, 0x13430,
                                          0x13439, 0x1BCA0, 0xCF3, 0xECE, 0x10EFD, 0x11241, 0x1F8B0, 0x2FFFE,
                                          0xFFFE, 0xFFFF, 0x10FFFF, 0x0E0000]
    for cp in controls:
        add("при" + chr(cp) + "вет" + " " + chr(cp) + "word" + chr(cp))
    add("".join(chr(cp) for cp in controls))
    # Punctuation and symbols: all of ASCII, then samples of every Unicode P* and S* block.
    add("".join(chr(c) for c in range(0x21, 0x7F)))
    for c in range(0x21, 0x7F):
        if not chr(c).isalnum():
            add("a" + chr(c) + "b " + chr(c) * 3 + " тест" + chr(c))
    puncts = [cp for cp in range(0xA0, 0x30000) if unicodedata.category(chr(cp))[0] in "PS"]
    for i in range(0, len(puncts), 9):
        chunk = puncts[i:i + 9]
        add(" ".join("x" + chr(cp) + "y" for cp in chunk))
    # The characters where the references' Unicode versions disagree.
    for cp in [0x61D, 0x9FD, 0xA76, 0xC77, 0xC84, 0x166D, 0x1B7D, 0x1B7E, 0x2E4F, 0x2E50, 0x2E52, 0x2E5D,
               0x10EAD, 0x10F86, 0x11B00, 0x11B09, 0x11F43, 0x1E5FF, 0x7FD, 0x898, 0x89F, 0x11938, 0x11F00,
               0x1E08F, 0x1E4EC, 0x10D69, 0x10D6D]:
        add("Tokens" + chr(cp) + "мама " + chr(cp) + " e" + chr(cp))
    # CJK: ideographs of every range and both edges of the ranges, plus kana, Hangul, fullwidth forms.
    for lo, hi in [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F),
                   (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0x30000, 0x3134F)]:
        add("".join(chr(cp) for cp in [lo - 1, lo, lo + 1, hi - 1, hi, hi + 1]))
        add("Мой тариф" + "".join(chr(rng.randint(lo, hi)) for _ in range(12)) + "ok")
    add("".join(chr(cp) for cp in range(0x2B81A, 0x2B925)))
    add("我想查询我的账户余额。请问怎么办？")
    add("日本語のテキスト、カタカナとひらがな。ｶﾀｶﾅ　全角スペース")
    add("한국어 텍스트 잔액 확인 한")
    add("ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３ ！？")
    add("mixed中文and русский текст 和 English")
    # Emoji: single, ZWJ sequences, skin tones, flags, keycaps, variation selectors.
    add("Спасибо 😀😃😄 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇷🇺🇺🇸 1️⃣ #️⃣ ❤️ ☺︎ ✈️")
    add("🙂" * 40)
    add("emoji👍in👍words" + "🤷‍♀️" * 3)
    for base in [0x1F600, 0x1F300, 0x1F680, 0x1F900, 0x1FA70, 0x2600, 0x2700]:
        add(" ".join(chr(base + i) for i in range(0, 64, 3)))
    # Combining marks: accents, decomposed й/ё, stacked marks in non-canonical order, Hangul jamo.
    add("Cafe\u0301 re\u0301sume\u0301 nai\u0308ve Zu\u0308rich")
    add("и\u0306од е\u0308лка Е\u0308ЛКА И\u0306ОГУРТ")
    add("a\u0323\u0302 a\u0302\u0323 o\u031b\u0301 q\u0307\u0323 e\u0301\u0301\u0301")
    add("\u0301\u0302 leading marks \u0308")
    add("\u1100\u1161\u11a8 \u1100\u1161 \uac00\u11a8 한글")
    add("Tiếng Việt có dấu: Người, được, những")
    add("Ελληνικά: ΟΔΟΣ οδός ΣΊΣΥΦΟΣ Άλφα")
    add("İstanbul ıI İI Iİ DİYARBAKIR i̇")
    add("Straße STRASSE ẞ ß ǅ ǈ ǋ ﬁ ﬂ ﬃ Kelvin \u212a Ohm \u2126 Angstrom \u212b")
    add("Ꭰ Ꭱ ꭰ ꭱ Ᏸ Ᏹ Cherokee Ᏻ Ᏽ ᲐᲑᲒ Mtavruli აბგ")
    add("𝐀𝐁𝐂 𝒜𝒝 𝔄𝔅 𝕬 ① ② ⑴ ¹²³ ½ ⅓ Ⅻ ㎡ ㈱ ﷺ")
    add("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ")
    add("ĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĲĳĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŉŊŋŌōŎŏŐőŒœ")
    add("ЁЙЇЎЄҐ ёйїўєґ Ӂ ӂ Ӑ ӑ Ӓ ӓ Ӗ ӗ Ӝ ӝ Ӟ ӟ Ӥ ӥ Ӧ ӧ Ӭ ӭ Ӯ ӯ Ӱ ӱ Ӳ ӳ Ӵ ӵ Ӹ ӹ")
    add("ЁЛКИ-ПАЛКИ, ЙОШКАР-ОЛА, ЁЖИК ЙОГУРТ ЁМКОСТЬ")
    add("ڪ عربی مرحبا بالعالم، كيف حالك؟ ١٢٣ שלום עולם")
    add("हिन्दी भाषा नमस्ते। ক্ষ তামিল தமிழ் ไทย ภาษาไทย ພາສາລາວ")
    for cp in range(0x300, 0x370, 8):
        add("а" + "".join(chr(c) for c in range(cp, cp + 8)) + "б о" + chr(cp) + "к")
    # Long words around max_input_chars_per_word (100 characters).
    for n in [99, 100, 101, 150]:
        add("a" * n)
        add("б" * n)
        add("x" * n + " ok " + "я" * n)
    add("й" * 60)
    add("й" * 50 + "ы" * 50)
    add("ё" * 101)
    add("e\u0301" * 51)
    add("супер" + "пупер" * 25)
    add("antidisestablishmentarianism" * 4)
    add("http://example.com/very/long/path?query=1&x=2#frag " + "ab" * 60)
    # Added (special) tokens inside the text.
    for t in ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"]:
        add(t)
        add("hello " + t + " мир")
        add("x" + t + "y")
        add(t.lower() + " " + t + t)
        add("[" + t + "]")
        add(t[:-1] + " " + t[1:])
    add("[CLS] баланс [SEP] тариф [SEP]")
    add(" [MASK]  [MASK] ")
    add("[UNK][UNK][UNK]")
    # Degenerate lines.
    for s in ["", " ", "   ", "\t", "\r", ".", "...", "?!", "-", "##", "##abc", "a##b", "'", "\"", "a", "A", "1",
              "0", "Ё", "й", "\u00a0", "\u200b", "\ufeff", "\ufffd", "\x00", "\x7f"]:
        add(s)
    add("##ing ##s ## #")
    add("price: 1,234.56 USD; 99.9% off!!! (really?) [sic] {x} <b>tag</b> a/b\\c @user #hashtag $5 ~50 ^_^")
    add("e-mail: test.user+tag@example.co.uk; tel. +7-999-123-45-67")
    add("don't can't it's I'm you're O'Reilly rock'n'roll")
    add("3.14159 1e-10 0xFF 1/2 50% №5 §12 ©2024 ®™ °C")
    # Added tokens of the synthetic variants in make_goldens.py (normalized, lstrip/rstrip, single_word).
    for s in ["<intent> sim card", "my sim", "simcard", "sim", "a sim.", "(sim)", "sim_card", "sim-card",
              "[BOT] hi [BOT]", "  [BOT]  x  ", "x[BOT]y", "[BOT][BOT]", "Hello World, hello world! HELLO WORLD",
              "HelloWorld hello  world", "<INTENT> <intent><intent>", "<intent>sim<intent>", "Ёлка ёлка ЁЛКА ЁлКа",
              "Café déjà vu", "中文 sim 中文"]:
        add(s)
    return lines


def sentencepiece_edges(rng):
    """Texts for the Unigram / Precompiled / Metaspace paths (written as JSON strings)."""
    lines = []
    add = lines.append
    words = ["Хочу", "сменить", "тариф", "баланс", "Hello", "world", "card", "top-up", "ёлка", "йогурт", "PIN",
             "123", "интернет", "не", "работает", "sim", "<mask>", "<s>", "</s>", "\u2581", "ﬁ", "①", "ｶﾀｶﾅ"]
    spaces = [" ", "  ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u3000", " \t ", "\u2581", ""]
    # Spaces around, between and instead of words.
    for lead in ["", " ", "  ", "\t", "\n", "\r\n", "\u3000", "\u00a0", "\ufeff", "\u200b"]:
        for trail in ["", " ", "   ", "\n", "\r\n", "\u00a0"]:
            add(lead + "Хочу сменить тариф" + trail)
            add(lead + "Top up  my   card" + trail)
    for s in ["", " ", "  ", "   ", "\t", "\n", "\r\n", "\r", "\n\n", " \n ", "\u2581", "\u2581\u2581", " \u2581 ",
              "\u00ad", "\u00ad\u00ad", "\u200b", "\u00a0\u0301", "\u0301", "x\u0308", "q", "ё", "Ё"]:
        add(s)
    # Literal special-token text (the XLM-R names, the variants' added tokens) in every position.
    for t in ["<s>", "</s>", "<mask>", "<pad>", "<unk>", "<intent>", "[BOT]", "sim"]:
        add(t)
        add(t + t)
        add("привет " + t + " мир")
        add("x" + t + "y")
        add("  " + t + "  ")
        add(t + " начало")
        add("конец " + t)
        add("<" + t + ">")
        add(t.upper() + " " + t.replace("<", "< "))
    add("<s>Хочу</s></s>сменить тариф</s>")
    add("a <mask>b <mask> c<mask>d  <mask>   e")
    add("<unk><unk> <unk>x")
    # NFD (decomposed) Russian and Latin, marks in every order, mapped characters followed by marks.
    for w in ["йогурт", "ёлка", "Йошкар-Ола", "ЁЖИК", "Café", "naïve", "Zürich", "Ångström", "Tiếng Việt"]:
        add(unicodedata.normalize("NFD", w) + " " + w)
        add(unicodedata.normalize("NFD", w))
    for base in ["a", "e", "и", "е", "ﬁ", "Ａ", "ª", "½", "\u00a0", "①", "ｶ", "\u1100", "가", "x", "\r", "\t"]:
        for marks in ["\u0301", "\u0308", "\u0323\u0302", "\u0302\u0323", "\u0306", "\u20e3", "\ufe0f", "\u200d",
                      "\u3099", "\uff9e", "\u0301\u0301\u0301"]:
            add(base + marks + " " + base + marks + "ok")
    add("ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟ ﾀﾞ ｳﾞ ｶ\uff9e")
    add("\u1100\u1161\u11a8\u1100\u1161 \uac00\u11a8 \u1112\u1161\u11ab")
    # NFKC-sensitive characters.
    add("ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ ㍿ ㎏ ㎡ ① ⑳ ⑴ ⒜ Ⅻ ⅻ ½ ¾ ⅞ ¹ ² ³ ⁴ ₁ ₂ ™ ℠ № ℃ ℉ Å K Ω")
    add("ＡＢＣ ａｂｃ ０１２３ ！？（）［］｛｝ ｢｣ ､ ･ ｰ ＿ ～")
    add("\ufb01\u0301 \u00bd\u0301 \u2460\u0308 \u2126\u0301 \u212b\u0301")
    add("ﷺ ﷻ ﷲ ﻻ ﻷ ﺍﻟﺴﻼﻡ")
    add("İstanbul ΣΑΣ ΟΔΟΣ ẞ ß Ǆ ǅ ǆ Ꭰ ꭰ")
    add("e\u0301\u0301 o\u0302\u0323 \u0344 \u0f73 \u0f75 \u0f81")
    add("\u0301 начало с метки")
    # Soft hyphens and other deletions at the start, middle and end.
    for s in ["\u00adпривет", "при\u00adвет", "привет\u00ad", "\u00ad\u00adпривет\u00ad мир",
              "\u200bпри\u200bвет\u200b", "ﬁ\u00adx ½\u00ad", "\u00ad ﬁ", "x\u0308 ax\u0308b x\u0308x\u0308"]:
        add(s)
    # Quotes that Replace normalizers rewrite.
    add("``quoted'' and 'single' \u2018curly\u2019 `back`")
    add("'" * 4)
    # Emoji and other characters a small vocabulary lacks (runs of unknown pieces), and U+0120.
    add("😀 😀😀 👍🏽 👨\u200d👩\u200d👧 🇷🇺🇺🇸 1\ufe0f\u20e3 ©\u200d❤")
    add("ꙮꙮꙮ ꙮ Ϣϣ Ⰰⰰ ᚠᚡᚢ 𐀀𐀁 \ue000\ue001 \U0001f9ff\U0001fa70")
    add("abc\ue000def \ue000\ue000 \U00010000x")
    add("Ġhello Ġ Ġworld hello\u0120 \u0120\u0120")
    # Very long words and runs.
    for s in ["а" * 300, "x" * 1000, "абв" * 500, "1234567890" * 60, "😀" * 200, "ꙮ" * 300, "\u2581" * 100,
              " " * 100 + "x" + " " * 100, "при" + "\u00ad" * 50 + "вет", "Хочу" + "\u0301" * 40]:
        add(s)
    # Random mixtures of the above.
    pool = words + ["ﬁ\u0301", "\u00ad", "e\u0301", "и\u0306", "😀", "ꙮ", "①"]
    for _ in range(1200):
        parts = []
        for _ in range(rng.randint(1, 10)):
            parts.append(rng.choice(pool))
            parts.append(rng.choice(spaces))
        add("".join(parts))
    return lines


def write_json_lines(path, texts):
    with open(path, "w", encoding="utf-8") as f:
        for text in texts:
            f.write(json.dumps(text, ensure_ascii=False) + "\n")


def random_unicode(rng, count):
    lines = []
    planes = [(0x20, 0x7F), (0xA0, 0x800), (0x800, 0x3000), (0x3000, 0xD800), (0xE000, 0x10000), (0x10000, 0x20000),
              (0x20000, 0x32000), (0xE0000, 0xE0080), (0xF0000, 0x110000)]
    for _ in range(count):
        n = rng.randint(1, 40)
        chars = []
        for _ in range(n):
            r = rng.random()
            if r < 0.35:
                chars.append(rng.choice("абвгдеёжзийклмнопрстуфхцчшщъыьэюя АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ abcxyz"))
            elif r < 0.45:
                chars.append(rng.choice(" ,.!?-:;'\"()[]#"))
            else:
                lo, hi = rng.choice(planes)
                cp = rng.randrange(lo, hi)
                if cp == 0x0A:
                    cp = 0x20
                chars.append(chr(cp))
        lines.append("".join(chars).encode("utf-8"))
    return lines


def invalid_utf8(rng, count):
    fragments = [b"\x80", b"\xbf", b"\xc0\x80", b"\xc1\xbf", b"\xc2", b"\xdf", b"\xe0\x80\x80", b"\xe0\xa0",
                 b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xef\xbf", b"\xf0\x80\x80\x80", b"\xf0\x90\x80", b"\xf4\x90\x80\x80",
                 b"\xf5\x80\x80\x80", b"\xf8\x88\x80\x80\x80", b"\xfc\x84\x80\x80\x80\x80", b"\xfe", b"\xff",
                 b"\xd0", b"\xd1\x20", b"\xe2\x82", b"\xf0\x9f\x98", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1",
                 b"\xf0\x28\x8c\xbc", b"\xf0\x90\x28\xbc", b"\xed\x9f\xbf", b"\xee\x80\x80"]
    words = ["привет", "баланс", "card", "[SEP]", "тариф", "hello", "ёж", "йод", " ", ", ", "😀", "中"]
    lines = []
    for frag in fragments:
        lines.append(frag)
        lines.append(b"abc" + frag + b"def")
        lines.append("привет".encode() + frag + " мир".encode())
        lines.append(b"x " + frag)
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 8)):
            r = rng.random()
            if r < 0.4:
                parts.append(rng.choice(fragments))
            elif r < 0.8:
                parts.append(rng.choice(words).encode())
            else:
                # a valid multi-byte character cut at a random point
                b = rng.choice(["ж", "€", "😀", "中", "ё"]).encode()
                parts.append(b[:rng.randint(1, len(b))])
        lines.append(b"".join(parts))
    for _ in range(count // 2):
        lines.append(bytes(rng.choice([b for b in range(256) if b != 0x0A]) for _ in range(rng.randint(1, 30))))
    return lines


def long_texts(rng, phrases_ru, phrases_en, count):
    lines = []
    for i in range(count):
        target = rng.choice([300, 600, 1200, 2500, 4000])
        pool = phrases_ru if i % 2 == 0 else phrases_en
        parts = []
        while sum(len(p) + 1 for p in parts) < target:
            parts.append(rng.choice(pool))
        lines.append(" ".join(parts))
    # One very long word and a long run of punctuation.
    lines.append("а" * 3000)
    lines.append("!?" * 1500)
    lines.append(" ".join(["слово"] * 1500))
    return lines


def read_banking77(directory):
    texts = []
    for name in ["train.csv", "test.csv"]:
        path = os.path.join(directory, name)
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            for row in reader:
                texts.append(row["text"].replace("\r", " ").replace("\n", " "))
    return texts


def write(path, lines):
    with open(path, "wb") as f:
        for line in lines:
            data = line.encode("utf-8") if isinstance(line, str) else line
            if b"\n" in data:
                raise ValueError(f"{path}: a corpus line contains a newline: {data[:40]!r}")
            f.write(data + b"\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(repo, "tests", "text", "corpus"))
    parser.add_argument("--banking77", default=os.path.join(repo, "data", "banking77"))
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--russian", type=int, default=9000, help="number of Russian phrases")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    ru = [russian_phrase(rng) for _ in range(args.russian)]
    en = read_banking77(args.banking77)
    write(os.path.join(args.out, "ru_phrases.txt"), ru)
    write(os.path.join(args.out, "banking77.txt"), en)
    write(os.path.join(args.out, "edge_cases.txt"), edge_cases(rng))
    write(os.path.join(args.out, "random_unicode.txt"), random_unicode(rng, 1500))
    write(os.path.join(args.out, "invalid_utf8.txt"), invalid_utf8(rng, 400))
    write(os.path.join(args.out, "long.txt"), long_texts(rng, ru, en, 120))
    pairs = []
    for _ in range(1500):
        a = rng.choice(ru + en)
        b = rng.choice(ru + en)
        if rng.random() < 0.1:
            b = " ".join(rng.choice(ru + en) for _ in range(rng.randint(5, 40)))
        if rng.random() < 0.1:
            a = " ".join(rng.choice(ru + en) for _ in range(rng.randint(5, 40)))
        pairs += [a, b]
    pairs += ["", "", "[SEP]", "[CLS]", "a", "", "", "b"]
    write(os.path.join(args.out, "pairs.txt"), pairs)
    # Its own generator, so that the files above stay as they were before it was added.
    write_json_lines(os.path.join(args.out, "sentencepiece_edges.jsonl"),
                     sentencepiece_edges(random.Random(args.seed + 1)))
    total = 0
    for name in sorted(os.listdir(args.out)):
        if name.endswith(".txt") or name.endswith(".jsonl"):
            path = os.path.join(args.out, name)
            with open(path, "rb") as f:
                n = f.read().count(b"\n")
            total += os.path.getsize(path)
            print(f"{name}: {n} lines, {os.path.getsize(path)} bytes")
    print(f"total {total} bytes")
    if total > 3_000_000:
        sys.exit("corpus over 3 MB: lower --russian or the long text count")


if __name__ == "__main__":
    main()

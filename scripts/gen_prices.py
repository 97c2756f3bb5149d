#!/usr/bin/env python3
"""Writes tests/fixtures/prices.tsv: hand-written cases, then each locale's
price formats over a few amounts, with and without the site's currency hint.

    python3 scripts/gen_prices.py > tests/fixtures/prices.tsv

Columns: text, currency_hint, decimal_separator, amount, currency, note (an
empty cell is none/null). In `text`, \\u{..} stands for a character that is
hard to see (NBSP is \\u{a0}, the narrow NBSP \\u{202f}).
"""

NBSP = "\\u{a0}"
NNBSP = "\\u{202f}"
RLM = "\\u{200f}"

# (integer digits, fraction digits as printed); fractions are dropped for
# currencies without minor units.
AMOUNTS = [("1234", "56"), ("12", "99"), ("999", "00"), ("1299", ""), ("45", "5"), ("1234567", "89")]
WHOLE = [("1234", ""), ("89", ""), ("1299000", ""), ("12345", "")]


def group(digits, sep, indian=False):
    if not sep or len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    size = 2 if indian else 3
    parts = []
    while head:
        parts.insert(0, head[-size:])
        head = head[:-size]
    return sep.join(parts + [tail])


def number(int_digits, frac, grp, dec, indian=False, group4=True):
    if not group4 and len(int_digits) == 4:
        grp = ""
    s = group(int_digits, grp, indian)
    return s + (dec + frac if frac else "")


def expect(int_digits, frac):
    return int_digits + ("." + frac if frac else "")


# locale, hint, group sep, decimal sep, templates [(template, currency with hint,
# currency without hint)], amounts, options
LOCALES = [
    ("de", "EUR", ".", ",", [("{} €", "EUR", "EUR"), ("{}€", "EUR", "EUR"), ("EUR {}", "EUR", "EUR")], AMOUNTS, {}),
    ("de-AT", "EUR", ".", ",", [("€ {}", "EUR", "EUR")], AMOUNTS, {}),
    ("fr", "EUR", NNBSP, ",", [("{}" + NBSP + "€", "EUR", "EUR"), ("{} €", "EUR", "EUR")], AMOUNTS, {}),
    ("fr-old", "EUR", NBSP, ",", [("{} €", "EUR", "EUR")], AMOUNTS, {}),
    ("it", "EUR", ".", ",", [("{} €", "EUR", "EUR"), ("€ {}", "EUR", "EUR")], AMOUNTS, {}),
    ("es", "EUR", ".", ",", [("{} €", "EUR", "EUR")], AMOUNTS, {"group4": False}),
    ("nl", "EUR", ".", ",", [("€ {}", "EUR", "EUR"), ("€{}", "EUR", "EUR")], AMOUNTS, {}),
    ("pl", "PLN", NBSP, ",", [("{} zł", "PLN", "PLN"), ("{} PLN", "PLN", "PLN")], AMOUNTS, {"group4": False}),
    ("pl-nnbsp", "PLN", NNBSP, ",", [("{} zł", "PLN", "PLN")], AMOUNTS, {}),
    ("pl-space", "PLN", " ", ",", [("{} zł", "PLN", "PLN")], AMOUNTS, {}),
    ("cs", "CZK", NBSP, ",", [("{} Kč", "CZK", "CZK")], AMOUNTS, {}),
    ("sv", "SEK", NBSP, ",", [("{} kr", "SEK", None), ("{} SEK", "SEK", "SEK")], AMOUNTS, {}),
    ("no", "NOK", NBSP, ",", [("kr {}", "NOK", None), ("{} kr", "NOK", None)], AMOUNTS, {}),
    ("da", "DKK", ".", ",", [("{} kr.", "DKK", None), ("kr. {}", "DKK", None), ("DKK {}", "DKK", "DKK")], AMOUNTS, {}),
    ("pt-BR", "BRL", ".", ",", [("R$ {}", "BRL", "BRL"), ("R${}", "BRL", "BRL")], AMOUNTS, {}),
    ("ru", "RUB", NBSP, ",", [("{} ₽", "RUB", "RUB"), ("{} руб.", "RUB", "RUB")], AMOUNTS, {}),
    ("uk", "UAH", NBSP, ",", [("{} ₴", "UAH", "UAH"), ("{} грн", "UAH", "UAH")], AMOUNTS, {}),
    ("tr", "TRY", ".", ",", [("₺{}", "TRY", "TRY"), ("{} TL", "TRY", "TRY")], AMOUNTS, {}),
    ("ja", "JPY", ",", ".", [("¥{}", "JPY", None), ("{}円", "JPY", "JPY"), ("￥{}", "JPY", None)], WHOLE, {}),
    ("zh-CN", "CNY", ",", ".", [("¥{}", "CNY", None), ("￥{}", "CNY", None), ("{}元", "CNY", "CNY"), ("¥ {}", "CNY", None)], AMOUNTS, {}),
    ("zh-TW", "TWD", ",", ".", [("NT${}", "TWD", "TWD"), ("{}元", "TWD", "CNY")], WHOLE, {}),
    ("ko", "KRW", ",", ".", [("₩{}", "KRW", "KRW"), ("{}원", "KRW", "KRW"), ("￦{}", "KRW", "KRW")], WHOLE, {}),
    ("hi-IN", "INR", ",", ".", [("₹{}", "INR", "INR"), ("Rs. {}", "INR", "INR"), ("₹ {}", "INR", "INR")], AMOUNTS, {"indian": True}),
    ("vi", "VND", ".", ",", [("{} ₫", "VND", "VND"), ("{}đ", "VND", "VND"), ("{} VNĐ", "VND", "VND")], WHOLE, {}),
    ("th", "THB", ",", ".", [("฿{}", "THB", "THB"), ("{} บาท", "THB", "THB")], AMOUNTS, {}),
    ("id", "IDR", ".", ",", [("Rp {}", "IDR", "IDR"), ("Rp{}", "IDR", "IDR")], WHOLE, {}),
    ("ms", "MYR", ",", ".", [("RM {}", "MYR", "MYR"), ("RM{}", "MYR", "MYR")], AMOUNTS, {}),
    ("ar-SA", "SAR", ",", ".", [("{} ر.س", "SAR", "SAR"), ("{} ريال", "SAR", "SAR")], AMOUNTS, {}),
    ("ar-AE", "AED", ",", ".", [("د.إ {}", "AED", "AED"), ("AED {}", "AED", "AED")], AMOUNTS, {}),
    ("ar-EG", "EGP", ",", ".", [("{} ج.م", "EGP", "EGP")], AMOUNTS, {}),
    ("he", "ILS", ",", ".", [("₪{}", "ILS", "ILS"), (RLM + "{} ₪", "ILS", "ILS"), ("{} ש״ח", "ILS", "ILS")], AMOUNTS, {}),
    ("en-US", "USD", ",", ".", [("${}", "USD", None), ("US ${}", "USD", "USD"), ("USD {}", "USD", "USD"), ("US${}", "USD", "USD")], AMOUNTS, {}),
    ("en-GB", "GBP", ",", ".", [("£{}", "GBP", "GBP")], AMOUNTS, {}),
    ("en-CA", "CAD", ",", ".", [("${}", "CAD", None), ("CA${}", "CAD", "CAD"), ("C$ {}", "CAD", "CAD"), ("CDN$ {}", "CAD", "CAD")], AMOUNTS, {}),
    ("fr-CA", "CAD", NBSP, ",", [("{} $", "CAD", None)], AMOUNTS, {}),
    ("en-AU", "AUD", ",", ".", [("${}", "AUD", None), ("A${}", "AUD", "AUD"), ("AU$ {}", "AUD", "AUD")], AMOUNTS, {}),
    ("en-IN", "INR", ",", ".", [("₹{}", "INR", "INR")], AMOUNTS, {"indian": True}),
    ("es-MX", "MXN", ",", ".", [("${}", "MXN", None), ("MX${}", "MXN", "MXN"), ("$ {} MXN", "MXN", "MXN")], AMOUNTS, {}),
    ("de-CH", "CHF", "'", ".", [("CHF {}", "CHF", "CHF"), ("{} CHF", "CHF", "CHF"), ("Fr. {}", "CHF", "CHF")], AMOUNTS, {}),
    ("de-CH-typo", "CHF", "’", ".", [("CHF {}", "CHF", "CHF")], AMOUNTS, {}),
]


def generated():
    rows = []
    for loc, hint, grp, dec, templates, amounts, opts in LOCALES:
        for k, (tpl, cur_hint, cur_bare) in enumerate(templates):
            for j, (i, f) in enumerate(amounts):
                text = tpl.replace("{}", number(i, f, grp, dec, opts.get("indian", False), opts.get("group4", True)), 1)
                # Every other row goes without a hint: symbols must speak for themselves.
                with_hint = (j + k) % 2 == 0
                cur = cur_hint if with_hint else cur_bare
                rows.append((text, hint if with_hint else "", "", expect(i, f), cur or "", loc))
    return rows


# Hand-written: the formats and traps the parser exists for.
HAND = [
    # The brief's list, one by one.
    ("1.234,56 €", "", "", "1234.56", "EUR", "de"),
    ("$1,234.56", "", "", "1234.56", "", "$ alone says no currency"),
    ("$1,234.56", "USD", "", "1234.56", "USD", "$ with a USD site"),
    ("1 234,56 zł", "", "", "1234.56", "PLN", "pl, space"),
    ("1\\u{a0}234,56\\u{a0}zł", "", "", "1234.56", "PLN", "pl, NBSP"),
    ("1\\u{202f}234,56\\u{a0}zł", "", "", "1234.56", "PLN", "pl, narrow NBSP"),
    ("12.345 ₫", "", "", "12345", "VND", "VND has no minor unit"),
    ("12.345₫", "VND", "", "12345", "VND", ""),
    ("¥1,299", "", "", "1299", "", "¥ without a hint: CNY or JPY?"),
    ("¥1,299", "CNY", "", "1299", "CNY", ""),
    ("¥1,299", "JPY", "", "1299", "JPY", ""),
    ("￥1,299", "CNY", "", "1299", "CNY", "full-width yen"),
    ("￥1,299", "JPY", "", "1299", "JPY", "full-width yen"),
    ("￥１，２９９", "JPY", "", "1299", "JPY", "full-width digits and comma"),
    ("1299元", "", "", "1299", "CNY", "元 is yuan unless the site says TWD"),
    ("1299元", "TWD", "", "1299", "TWD", ""),
    ("CDN$ 9.99", "", "", "9.99", "CAD", "amazon.ca"),
    ("CDN$ 9.99", "USD", "", "9.99", "CAD", "the text's symbol beats the hint"),
    ("C$ 12.50", "", "", "12.50", "CAD", ""),
    ("A$ 15.00", "", "", "15.00", "AUD", ""),
    ("US $12.99", "", "", "12.99", "USD", "eBay"),
    ("US $12.99", "EUR", "", "12.99", "USD", "eBay, foreign site"),
    ("R$272,00", "", "", "272.00", "BRL", ""),
    ("EUR 6,37", "", "", "6.37", "EUR", ""),
    ("£8.49", "", "", "8.49", "GBP", ""),
    ("₹1,23,456.00", "", "", "123456.00", "INR", "Indian grouping"),
    ("₹12,34,567", "INR", "", "1234567", "INR", "Indian grouping"),
    ("₩12,900", "", "", "12900", "KRW", ""),
    ("CHF 1'234.50", "", "", "1234.50", "CHF", ""),
    ("CHF 25.–", "", "", "25", "CHF", "Swiss whole francs"),
    ("kr 1 234,50", "SEK", "", "1234.50", "SEK", ""),
    ("kr 1 234,50", "", "", "1234.50", "", "kr: SEK, NOK, DKK or ISK"),
    ("1.299", "EUR", "", "1299", "EUR", "three digits after a lone dot: thousands"),
    ("1.299", "USD", "", "1299", "USD", "three digits after a lone dot: thousands in every 2-decimal currency"),
    ("1,299", "USD", "", "1299", "USD", ""),
    ("1,299", "EUR", "", "1299", "EUR", ""),
    ("1.299", "", "", "1299", "", "no currency: thousands too"),
    ("1.299", "EUR", ".", "1.299", "EUR", "the caller's decimal separator settles it"),
    ("1,299", "EUR", ",", "1.299", "EUR", "the caller's decimal separator settles it"),
    ("1,299", "USD", ".", "1299", "USD", ""),
    ("12.5", "EUR", ",", "12.5", "EUR", "the hint does not override an unambiguous text"),
    ("KWD 1.250", "", "", "1.250", "KWD", "three minor units"),
    ("د.ك 1.250", "", "", "1.250", "KWD", ""),
    ("1.250", "KWD", "", "1.250", "KWD", ""),
    ("KWD 1,250", "", "", "1250", "KWD", "KWD writes decimals with a dot"),
    ("0.299", "", "", "0.299", "", "0 cannot lead a thousands group"),
    ("1234.567", "", "", "1234.567", "", "four digits cannot lead a thousands group"),
    # Ranges: the lowest.
    ("¥ 149.00 - 159.00", "CNY", "", "149.00", "CNY", "range"),
    ("¥ 149.00 - 159.00", "", "", "149.00", "", "range"),
    ("$10.99 – $15.99", "USD", "", "10.99", "USD", "range, en dash"),
    ("$15.99 - $10.99", "USD", "", "10.99", "USD", "range written high to low"),
    ("149-159", "", "", "149", "", "bare range"),
    ("149-159", "CNY", "", "149", "CNY", "bare range"),
    ("¥149~¥299", "CNY", "", "149", "CNY", "tilde range"),
    ("¥149～299", "CNY", "", "149", "CNY", "full-width tilde range"),
    ("149 - 159 元", "", "", "149", "CNY", "the range shares its symbol"),
    ("1 299 – 1 599 Kč", "", "", "1299", "CZK", ""),
    ("€10 to €20", "", "", "10", "EUR", ""),
    ("von 10 bis 20 €", "", "", "10", "EUR", ""),
    ("от 1 000 до 2 000 ₽", "", "", "1000", "RUB", ""),
    ("¥100至¥200", "CNY", "", "100", "CNY", ""),
    ("¥1,980〜¥2,480", "JPY", "", "1980", "JPY", "wave dash"),
    # Was / now: the current price.
    ("Was $59.99 Now $39.99", "USD", "", "39.99", "USD", ""),
    ("Was $59.99 Now $39.99", "", "", "39.99", "", ""),
    ("Now $39.99 Was $59.99", "USD", "", "39.99", "USD", ""),
    ("原价¥299 现价¥199", "CNY", "", "199", "CNY", ""),
    ("现价¥199 原价¥299", "CNY", "", "199", "CNY", ""),
    ("List Price: $59.99 $39.99", "USD", "", "39.99", "USD", "amazon"),
    ("$39.99 List: $59.99", "USD", "", "39.99", "USD", "amazon"),
    ("$59.99 $39.99", "USD", "", "39.99", "USD", "struck-through first, no words"),
    ("$39.99 $59.99", "USD", "", "39.99", "USD", "struck-through last, no words"),
    ("$59.99$39.99", "USD", "", "39.99", "USD", "flattened, no space"),
    ("Typical price: £24.99 £19.99", "", "", "19.99", "GBP", ""),
    ("RRP £24.99 Our price £19.99", "", "", "19.99", "GBP", ""),
    ("Reg. $49.99 Sale $29.99", "USD", "", "29.99", "USD", ""),
    ("statt 59,99 € jetzt 39,99 €", "", "", "39.99", "EUR", "de"),
    ("UVP 59,99 € 39,99 €", "", "", "39.99", "EUR", "de"),
    ("Prix barré 59,99 € Prix actuel 39,99 €", "", "", "39.99", "EUR", "fr"),
    ("Au lieu de 59,99 € 39,99 €", "", "", "39.99", "EUR", "fr"),
    ("Prima 59,99 € Ora 39,99 €", "", "", "39.99", "EUR", "it"),
    ("Antes $1,299 Ahora $999", "MXN", "", "999", "MXN", "es-MX"),
    ("Precio anterior: 59,99 € Precio actual: 39,99 €", "", "", "39.99", "EUR", "es"),
    ("Przed obniżką: 199,99 zł Teraz: 149,99 zł", "", "", "149.99", "PLN", "pl"),
    ("Najniższa cena z 30 dni: 129,99 zł 149,99 zł", "PLN", "", "149.99", "PLN", "pl Omnibus: the 30-day low is not the price"),
    ("Původní cena 1 299 Kč Nyní 999 Kč", "", "", "999", "CZK", "cs"),
    ("Ord. pris 599 kr Nu 399 kr", "SEK", "", "399", "SEK", "sv"),
    ("Før 599,- Nå 399,-", "NOK", "", "399", "NOK", "no, whole kroner"),
    ("Vejl. pris 499,95 kr. 399,95 kr.", "DKK", "", "399.95", "DKK", "da"),
    ("Van €59,99 voor €39,99", "", "", "39.99", "EUR", "nl"),
    ("De R$ 199,90 por R$ 149,90", "", "", "149.90", "BRL", "pt-BR"),
    ("Было 5 999 ₽ Стало 3 999 ₽", "", "", "3999", "RUB", "ru"),
    ("Стара ціна 1 299 грн Нова ціна 999 грн", "", "", "999", "UAH", "uk"),
    ("Eski fiyat 1.299,00 TL Yeni fiyat 999,00 TL", "", "", "999.00", "TRY", "tr"),
    ("通常価格 ¥3,980 セール価格 ¥2,980", "JPY", "", "2980", "JPY", "ja"),
    ("参考価格: ￥5,500 ￥4,180", "JPY", "", "4180", "JPY", "ja"),
    ("原價 NT$1,299 特價 NT$999", "", "", "999", "TWD", "zh-TW"),
    ("정가 39,000원 할인가 29,000원", "", "", "29000", "KRW", "ko"),
    ("M.R.P.: ₹1,999.00 ₹999.00", "", "", "999.00", "INR", "hi-IN"),
    ("Giá gốc 299.000₫ Giá khuyến mãi 199.000₫", "", "", "199000", "VND", "vi"),
    ("ราคาปกติ ฿1,290 ราคาพิเศษ ฿990", "", "", "990", "THB", "th"),
    ("Harga asli Rp 150.000 Harga diskon Rp 99.000", "", "", "99000", "IDR", "id"),
    ("Harga asal RM 59.90 Harga kini RM 39.90", "", "", "39.90", "MYR", "ms"),
    ("السعر الأصلي 199 ر.س السعر الحالي 149 ر.س", "", "", "149", "SAR", "ar"),
    ("מחיר מקורי ₪199 מחיר מבצע ₪149", "", "", "149", "ILS", "he"),
    ("Was $59.99", "USD", "", "", "USD", "only a former price: none"),
    ("$12.99 CAD", "", "", "12.99", "CAD", "a code says which dollar"),
    ("CAD $12.99", "", "", "12.99", "CAD", "a code says which dollar"),
    ("$ 12.99 USD", "", "", "12.99", "USD", ""),
    ("$12.99 CAD", "USD", "", "12.99", "CAD", "a code beats the hint"),
    ("AU $12.99", "", "", "12.99", "AUD", "eBay Australia"),
    ("$10 €20", "", "", "10", "", "€ does not say which dollar"),
    ("$.99", "USD", "", "0.99", "USD", "no leading zero"),
    ("No.5 $20", "USD", "", "20", "USD", ""),
    # Not the price: savings, shipping, unit prices, counts, instalments.
    ("$39.99 You save $20.00 (33%)", "USD", "", "39.99", "USD", ""),
    ("Save $20 $39.99", "USD", "", "39.99", "USD", ""),
    ("$24.99 + $5.99 shipping", "USD", "", "24.99", "USD", ""),
    ("$12.99 ($0.43/Ounce)", "USD", "", "12.99", "USD", "unit price"),
    ("$12.99 ($0.43 / count)", "USD", "", "12.99", "USD", "unit price"),
    ("2 x $5.00", "USD", "", "", "USD", "N x: read as instalments, so no price rather than a too-low one"),
    ("Free shipping on orders over $25 $19.99", "USD", "", "19.99", "USD", ""),
    ("¥89 已售2000+件", "CNY", "", "89", "CNY", "sales count"),
    ("¥89 月销 2000+", "CNY", "", "89", "CNY", "sales count"),
    ("满199减20 ¥239", "CNY", "", "239", "CNY", "promotion threshold"),
    ("券后价 ¥89 立减10元", "CNY", "", "89", "CNY", ""),
    ("R$ 149,90 ou 10x de R$ 14,99 sem juros", "", "", "149.90", "BRL", "pt-BR instalments"),
    ("R$ 149,90 10x R$ 14,99", "", "", "149.90", "BRL", "pt-BR instalments: N x is never the price"),
    ("12x de R$ 108,25", "", "", "", "BRL", "an instalment alone is not the price"),
    ("or 4 payments of $9.99 with Afterpay $39.99", "USD", "", "39.99", "USD", "instalments"),
    ("$39.99 or 4 interest-free payments of $10.00", "USD", "", "39.99", "USD", "instalments"),
    ("$29.99/mo", "USD", "", "", "USD", "a monthly fee is not the price"),
    (",99 €", "", "", "0.99", "EUR", "no leading zero"),
    ("€,99", "", "", "0.99", "EUR", "no leading zero"),
    ("12.34.567", "", "", "", "", "Indian grouping uses commas"),
    ("$1,299 o 12 meses sin intereses de $108.25", "MXN", "", "1299", "MXN", "es-MX instalments"),
    ("-20% 39,99 €", "", "", "39.99", "EUR", "discount badge"),
    ("39,99 € -20%", "", "", "39.99", "EUR", "discount badge"),
    ("12.990.000 ₫ 15.990.000 ₫ -19%", "", "", "12990000", "VND", "vi, discount badge after"),
    ("Subscribe & Save: $18.99", "USD", "", "18.99", "USD", "amazon"),
    ("You Save: $20.00 (33%)", "USD", "", "", "USD", "a saving alone is not a price"),
    ("Ships in 2-3 days", "", "", "", "", "a range of days"),
    ("¥89 - ¥129 /件", "CNY", "", "", "CNY", "a unit-price range"),
    ("-$5.00", "USD", "", "", "USD", "negative: a discount, not a price"),
    ("−5,00 €", "", "", "", "EUR", "minus sign"),
    ("8折 ¥79", "CNY", "", "79", "CNY", ""),
    ("10% 할인 29,000원", "", "", "29000", "KRW", ""),
    ("500g ¥29.90", "CNY", "", "29.90", "CNY", ""),
    ("500g 29.90", "CNY", "", "29.90", "CNY", "weight is not a price"),
    ("128GB $799", "USD", "", "799", "USD", ""),
    ("4.6 out of 5 stars $19.99", "USD", "", "19.99", "USD", ""),
    # Junk around the price.
    ("Price: ¥ 1,299.00 起", "CNY", "", "1299.00", "CNY", ""),
    ("Price: ¥ 1,299.00 起", "", "", "1299.00", "", ""),
    ("到手价 ¥89", "CNY", "", "89", "CNY", ""),
    ("￥ 89.00 包邮", "CNY", "", "89.00", "CNY", ""),
    ("¥89.00 免运费", "CNY", "", "89.00", "CNY", ""),
    ("  $ 19.99  ", "USD", "", "19.99", "USD", "spaces"),
    ("$\\u{a0}19.99", "USD", "", "19.99", "USD", ""),
    ("\\u{200f}149.00 ₪\\u{200f}", "", "", "149.00", "ILS", "RLM marks"),
    ("١٬٢٣٤٫٥٠ ر.س", "", "", "1234.50", "SAR", "Arabic-Indic digits"),
    ("٤٩٫٩٩ د.إ", "", "", "49.99", "AED", "Arabic-Indic digits"),
    ("Sale price$19.99Regular price$29.99", "USD", "", "19.99", "USD", "Shopify, flattened"),
    ("Sale price $19.99 Regular price $29.99 Sale", "USD", "", "19.99", "USD", "Shopify"),
    ("from $19.99", "USD", "", "19.99", "USD", ""),
    ("ab 19,99 €", "", "", "19.99", "EUR", "de: from"),
    ("à partir de 19,99 €", "", "", "19.99", "EUR", "fr: from"),
    ("19.99", "USD", "", "19.99", "USD", "bare amount, currency from the hint"),
    ("19.99", "", "", "19.99", "", "bare amount"),
    ("1299.00", "CNY", "", "1299.00", "CNY", "JSON-LD style"),
    ("0", "", "", "0", "", ""),
    ("$0.99", "USD", "", "0.99", "USD", ""),
    ("USD 1,234.56", "", "", "1234.56", "USD", ""),
    ("1,234.56 USD", "", "", "1234.56", "USD", ""),
    ("usd 5", "", "", "5", "", "codes count in capitals only ('try it' is not lira)"),
    ("$5", "¥", "", "5", "", "hint is an ambiguous symbol"),
    ("$5", "cad", "", "5", "CAD", "hint in lower case"),
    ("$5", "EUR", "", "5", "", "$ on a euro site: unknown"),
    ("5 €", "USD", "", "5", "EUR", "the text's symbol beats the hint"),
    ("€10 ($11.50)", "EUR", "", "10", "EUR", "two currencies: the site's"),
    ("€10 ($11.50)", "USD", "", "11.50", "USD", "two currencies: the site's"),
    ("€10 ($11.50)", "", "", "10", "EUR", "two currencies: the first"),
    ("RMB 99", "", "", "99", "CNY", ""),
    ("HK$ 1,299", "", "", "1299", "HKD", ""),
    ("S$ 29.90", "", "", "29.90", "SGD", ""),
    ("NZ$ 29.90", "", "", "29.90", "NZD", ""),
    ("₱1,299.00", "", "", "1299.00", "PHP", ""),
    ("S/ 59.90", "", "", "59.90", "PEN", ""),
    ("Rs.1,299", "", "", "1299", "INR", ""),
    ("199:-", "SEK", "", "199", "SEK", "Swedish whole kronor"),
    ("1.999,- kr.", "DKK", "", "1999", "DKK", ""),
    ("99,-", "NOK", "", "99", "NOK", ""),
    ("1 299 Ft", "", "", "1299", "HUF", ""),
    ("129,99 lei", "", "", "129.99", "RON", ""),
    ("₺1.299,90", "", "", "1299.90", "TRY", ""),
    ("1.234.567,89 €", "", "", "1234567.89", "EUR", ""),
    ("1,234,567.89 $", "USD", "", "1234567.89", "USD", ""),
    ("12 345 678 ₫", "", "", "12345678", "VND", ""),
    ("12.345.678đ", "", "", "12345678", "VND", ""),
    ("Rp 15.000", "", "", "15000", "IDR", ""),
    ("Rp 15.000,00", "", "", "15000.00", "IDR", ""),
    # Not prices.
    ("Free shipping", "", "", "", "", ""),
    ("Free shipping", "USD", "", "", "USD", "the hint still names the currency"),
    ("--", "", "", "", "", ""),
    ("", "", "", "", "", "empty"),
    ("   ", "", "", "", "", "blank"),
    ("4.5 out of 5 stars", "", "", "", "", "rating"),
    ("4.5 out of 5 stars", "USD", "", "", "USD", "rating"),
    ("4.8分", "CNY", "", "", "CNY", "rating"),
    ("★★★★☆ 4.2 (1,234 ratings)", "", "", "", "", "rating"),
    ("See price in cart", "", "", "", "", ""),
    ("Currently unavailable.", "", "", "", "", ""),
    ("暂无报价", "", "", "", "", ""),
    ("价格面议", "CNY", "", "", "CNY", ""),
    ("Call +1 (555) 123-4567", "", "", "", "", "phone"),
    ("555-123-4567", "", "", "", "", "phone"),
    ("400-820-8820", "CNY", "", "", "CNY", "Chinese hotline"),
    ("138 0013 8000", "", "", "", "", "mobile number"),
    ("13800138000", "", "", "", "", "mobile number, no spaces"),
    ("+86 138 0013 8000", "", "", "", "", "phone"),
    ("555.123.4567", "", "", "", "", "dotted phone: bad grouping"),
    ("20%", "", "", "", "", "a percentage"),
    ("Save 20%", "", "", "", "", ""),
    ("$5 off", "USD", "", "", "USD", "a discount"),
    ("1.234.56 €", "", "", "", "EUR", "bad grouping"),
    ("1,2,3", "", "", "", "", "bad grouping"),
    ("12,34,5", "", "", "", "", "bad grouping"),
    ("99999999999999999999 €", "", "", "", "EUR", "overflow"),
    ("1234567890123456", "", "", "", "", "sixteen digits"),
    ("$0.00001", "USD", "", "", "USD", "five decimals"),
    ("€ 1.234,567,89", "", "", "", "EUR", "two decimal marks"),
    # Issue 14: symbols from the CLDR table, Cyrillic ruble words, free-text hints.
    ("֏ 12000", "", "", "12000", "AMD", "dram sign (CLDR)"),
    ("₼25", "", "", "25", "AZN", "manat sign (CLDR)"),
    ("৳ 1,250", "", "", "1250", "BDT", "taka sign (CLDR)"),
    ("1 500 Р", "", "", "1500", "RUB", "Cyrillic Er as the ruble sign"),
    ("2500 рублей", "", "", "2500", "RUB", "roubles spelled out"),
    ("12.99", "RRP: £", "", "12.99", "GBP", "hint as free text"),
    ("12,00", "Price From £", "", "12.00", "GBP", "hint as free text"),
    ("1 299", "Pris NOK", "", "1299", "NOK", "hint as free text with a code"),
    ("12.99", "Our price", "", "12.99", "", "free text naming no currency"),
]


def main():
    print("text\tcurrency_hint\tdecimal_separator\tamount\tcurrency\tnote")
    for row in HAND + generated():
        assert all("\t" not in c and "\n" not in c for c in row), row
        print("\t".join(row))


if __name__ == "__main__":
    main()

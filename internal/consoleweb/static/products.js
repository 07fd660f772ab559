// Products: the list (search, filters, keyset pages) and the editor (every
// translation side by side, the reading, the allergen checklist with the eight
// mandatory items first, the price with its tax class, the JAN code checked as it
// is typed, the status).

import { gql, upload } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { getPrefs, locale, named, withReading, yen } from "../pos/i18n.js";
import { errNode, t, ts } from "./i18n.js";
import { app, clearErrorOf, downloadCSV, errorBox, field, go, options, pager, placeErrors, route, setError } from "./ui.js";

const STATUSES = ["DRAFT", "ACTIVE", "ARCHIVED"];
export const CATEGORIES = ["FOOD", "SWEETS", "BAKERY", "BEVERAGE", "CRAFT", "TEXTILE", "STATIONERY", "HOUSEHOLD", "PLANT", "OTHER"];
const TAX = ["REDUCED_8", "STANDARD_10"];
const RATE = { REDUCED_8: 8, STANDARD_10: 10 };
// The languages of a product's texts, with the tag of what is typed in each.
const LOCALES = [
  ["JA", "ja"],
  ["JA_X_EASY", "ja"],
  ["EN", "en"],
  ["ZH", "zh"],
  ["KO", "ko"],
];

// scope is the filter that keeps a list to what the user acts on.
function scope() {
  const u = app.user;
  if (u.role === "FACILITY") return { facilityId: u.facility.id };
  if (u.role === "MANAGER") return { municipalityId: u.municipality.id };
  return {};
}

const FACILITIES = `facilities(filter: $fac, first: 100) { edges { node { id name } } }`;
const PRODUCT_ROW = "id name nameReading code price status facility { id name }";

function facilityFilter() {
  const u = app.user;
  return u.role === "ADMIN" ? null : { municipalityId: u.municipality.id };
}

// --- The list -------------------------------------------------------------------

route(/^products$/, async (main) => {
  const u = app.user;
  const first = await gql(
    `query Products($fac: FacilityFilter, $filter: ProductFilter, $l: Locale) {
      ${FACILITIES}
      products(filter: $filter, first: 20, locale: $l) { edges { node { ${PRODUCT_ROW} } } pageInfo { hasNextPage endCursor } }
    }`,
    { fac: facilityFilter(), filter: scope(), l: locale() },
  );
  const facilities = first.facilities.edges.map((e) => e.node);

  const text = field("f-text", "searchText", { type: "search", autocomplete: "off" });
  const facility =
    u.role === "FACILITY"
      ? null
      : field("f-facility", "filterFacility", {}, {
          tag: "select",
          kids: [h("option", { value: "" }, ts("all")), ...facilities.map((f) => h("option", { value: f.id }, f.name))],
        });
  const status = field("f-status", "filterStatus", {}, { tag: "select", kids: options(STATUSES, null, "all") });
  const category = field("f-category", "filterCategory", {}, { tag: "select", kids: options(CATEGORIES, null, "all") });
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": ts("productsCaption") },
    text.el, facility && facility.el, status.el, category.el,
    h("div", {}, h("button", { id: "f-apply", type: "submit", class: "secondary" }, t("searchButton"))),
  );
  const body = h("tbody");
  const count = h("p", { id: "products-count", class: "visually-hidden", role: "status" });
  const table = h(
    "table",
    { class: "list", id: "products" },
    h("caption", {}, t("productsCaption")),
    h("thead", {}, h("tr", {}, ["colName", "colCode", "colPrice", "colStatus", "colFacility"].map((k, i) => h("th", { scope: "col", class: i === 2 ? "num" : null }, t(k))))),
    body,
  );
  const filter = () => {
    const f = { ...scope() };
    if (text.input.value.trim()) f.text = text.input.value.trim();
    if (facility && facility.input.value) f.facilityId = facility.input.value;
    if (status.input.value) f.status = status.input.value;
    if (category.input.value) f.category = category.input.value;
    return f;
  };
  let firstPage = first.products; // the first page came with the screen
  const pages = pager("products", async (after) => {
    let page = firstPage;
    firstPage = null;
    if (!page) {
      const d = await gql(
        `query ProductsPage($filter: ProductFilter, $after: String, $l: Locale) {
          products(filter: $filter, first: 20, after: $after, locale: $l) { edges { node { ${PRODUCT_ROW} } } pageInfo { hasNextPage endCursor } }
        }`,
        { filter: filter(), after, l: locale() },
      );
      page = d.products;
    }
    drawRows(body, page.edges.map((e) => e.node));
    count.replaceChildren(t("countBadge", { n: page.edges.length }));
    return page.pageInfo;
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await pages.start();
    } catch (e) {
      form.append(errorBox(e));
    }
  });
  const exportButton = h("button", { id: "products-csv", type: "button", class: "secondary", onclick: () => exportCSV(filter(), exportButton) }, t("exportCSV"));
  main.append(
    h("h1", {}, t("productsTitle")),
    h("p", { class: "actions" }, h("a", { id: "new-product", class: "button-link", href: "#/products/new" }, t("newProduct")), exportButton,
      h("a", { id: "import-products", class: "button-link quiet", href: "#/products/import" }, t("importCSV"))),
    form,
    count,
    table,
    pages.el,
  );
  await pages.start();
}, "navProducts");

// exportCSV saves every product the filter finds as CSV, a row per product with
// each language's name and description, page after page (100 at a time).
async function exportCSV(filter, button) {
  button.disabled = true;
  const head = ["id", "facility", "status", "category", "code", "price", "taxClass", "nameReading", "allergens",
    ...LOCALES.flatMap(([loc]) => ["name_" + loc, "description_" + loc])];
  const rows = [head];
  try {
    for (let after = null; ; ) {
      const d = await gql(`query Export($filter: ProductFilter, $after: String) {
        products(filter: $filter, first: 100, after: $after) { edges { node { ${PRODUCT} } } pageInfo { hasNextPage endCursor } } }`, { filter, after });
      for (const { node: p } of d.products.edges) {
        const tr = Object.fromEntries(p.translations.map((x) => [x.locale, x]));
        rows.push([p.id, p.facility.name, p.status, p.category, p.code || "", p.price, p.taxClass, p.nameReading || "", p.allergens.join(" "),
          ...LOCALES.flatMap(([loc]) => [tr[loc] ? tr[loc].name : "", tr[loc] ? tr[loc].description : ""])]);
      }
      if (!d.products.pageInfo.hasNextPage) break;
      after = d.products.pageInfo.endCursor;
    }
    downloadCSV("products.csv", rows);
  } catch (e) {
    button.after(errorBox(e));
  } finally {
    button.disabled = false;
  }
}

function drawRows(body, products) {
  if (!products.length) {
    body.replaceChildren(h("tr", {}, h("td", { colspan: 5 }, t("none"))));
    return;
  }
  body.replaceChildren(
    ...products.map((p) =>
      h(
        "tr",
        {},
        h("th", { scope: "row" }, h("a", { href: "#/products/" + p.id, id: "edit-" + p.id }, withReading(p))),
        h("td", { "data-label": ts("colCode") }, p.code || "—"),
        h("td", { class: "num", "data-label": ts("colPrice") }, yen(p.price)),
        h("td", { "data-label": ts("colStatus") }, h("span", { class: "status " + p.status }, t(p.status))),
        h("td", { "data-label": ts("colFacility") }, named(p.facility.name)),
      ),
    ),
  );
}

// --- The editor -----------------------------------------------------------------

// checkJAN says what is wrong with a typed code, or null when it is a valid JAN-13,
// JAN-8 or in-store code (the GS1 mod-10 check digit, weighted 3, 1, 3 … from the
// right of the body), as the API's ParseProductCode decides.
export function checkJAN(code) {
  if (!/^\d*$/.test(code)) return { key: "codeDigits" };
  if (code.length !== 8 && code.length !== 13) return { key: "codeLength", vars: { n: code.length } };
  let sum = 0;
  [...code.slice(0, -1)].reverse().forEach((d, i) => (sum += Number(d) * (i % 2 === 0 ? 3 : 1)));
  const want = (10 - (sum % 10)) % 10;
  return want === Number(code.slice(-1)) ? null : { key: "codeBad", vars: { d: want } };
}

// Full-width digits and spaces, as a Japanese keyboard may type them, count as digits.
const halfWidth = (s) => s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s　]/g, "");

// The readings of the allergens' names written in kanji, for furigana.
const ALLERGEN_READING = { WHEAT: "こむぎ", EGG: "たまご", MILK: "にゅう", PEANUT: "らっかせい", BEEF: "ぎゅうにく", SOYBEAN: "だいず", CHICKEN: "とりにく", PORK: "ぶたにく" };

function allergenName(a, en) {
  if (en) return a.nameEn.charAt(0).toUpperCase() + a.nameEn.slice(1);
  return withReading({ name: a.nameJa, nameReading: ALLERGEN_READING[a.allergen] });
}

const KANA = /^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fb-\u30fe\s　]*$/;

// Pictures: a file chosen is checked here for its type and size, uploaded through
// a link of the API (createImageUpload), shown as the server scaled it, and saved
// with the product (imageUrls), each with the text that describes it to those who
// cannot see it (imageAlts; the product's name, name(), when none is written).
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"];
const MAX_IMAGE_MB = 10; // tsunagu.MaxImageBytes
const MAX_IMAGES = 10; // tsunagu.MaxImages

function pictureField(initialUrls, initialAlts, name) {
  const pics = initialUrls.map((url, i) => ({ url, alt: initialAlts[i] || "" }));
  let alts = {}; // the alternative texts' fields, by their path in the input
  const file = field("p-image", "pictureChoose", { type: "file", accept: IMAGE_TYPES.join(",") },
    { need: "optional", hint: t("pictureHint", { mb: MAX_IMAGE_MB, n: MAX_IMAGES }) });
  // A refusal is read out when it is shown, as the chooser keeps focus.
  file.err.setAttribute("role", "alert");
  const status = h("p", { id: "p-image-status", class: "saved", role: "status" });
  const list = h("ul", { class: "pictures", id: "p-pictures" });
  const draw = () => {
    alts = {};
    if (!pics.length) return list.replaceChildren(h("li", { class: "hint" }, t("noPictures")));
    list.replaceChildren(...pics.map((pic, i) => {
      const fallback = ts("pictureOf", { name: name(), n: i + 1 });
      const img = h("img", { src: pic.url, alt: pic.alt || fallback, id: "p-picture-" + i });
      const alt = field("p-picture-alt-" + i, t("pictureAlt", { n: i + 1 }), { value: pic.alt, lang: "ja", autocomplete: "off", maxlength: "200" },
        { need: "optional", hint: t("pictureAltHint") });
      alt.input.addEventListener("input", () => {
        pic.alt = alt.input.value;
        img.alt = pic.alt.trim() || fallback;
      });
      alts["input.imageAlts." + i] = alt;
      return h("li", {},
        img,
        alt.el,
        h("button", { type: "button", class: "quiet", id: "p-picture-remove-" + i, "aria-label": ts("pictureRemoveOf", { alt: fallback }),
          onclick: () => {
            pics.splice(i, 1);
            draw();
            status.replaceChildren(t("pictureRemoved"));
            (document.getElementById("p-picture-remove-" + Math.min(i, pics.length - 1)) || file.input).focus();
          } }, t("pictureRemove")));
    }));
  };
  const refuse = (node) => {
    status.replaceChildren();
    setError(file, node);
  };
  file.input.addEventListener("change", async () => {
    const f = file.input.files[0];
    if (!f) return;
    status.replaceChildren();
    try {
      if (!IMAGE_TYPES.includes(f.type)) return refuse(t("pictureType"));
      if (f.size > MAX_IMAGE_MB * 1024 * 1024) return refuse(t("pictureTooLarge", { mb: MAX_IMAGE_MB }));
      if (pics.length >= MAX_IMAGES) return refuse(t("pictureTooMany", { n: MAX_IMAGES }));
      status.replaceChildren(t("pictureUploading"));
      file.input.setAttribute("aria-busy", "true");
      const d = await gql(`mutation Link { createImageUpload { upload { url } userErrors { code field message } } }`);
      const ue = d.createImageUpload.userErrors[0];
      if (ue) return refuse(errNode(ue.code));
      const got = await upload(d.createImageUpload.upload.url, f);
      pics.push({ url: got.url, alt: "" });
      draw();
      status.replaceChildren(t("pictureAdded", { w: got.width, h: got.height }));
    } catch (e) {
      // The server's refusals in the words of the field; anything else as it comes.
      const code = e.code || "INTERNAL";
      refuse(code === "OUT_OF_RANGE" ? t("pictureTooLarge", { mb: MAX_IMAGE_MB }) : code === "INVALID_INPUT" ? t("pictureUnreadable") : errNode(code));
    } finally {
      file.input.removeAttribute("aria-busy");
      file.input.value = "";
    }
  });
  draw();
  const section = h("section", { "aria-labelledby": "pictures-h" },
    h("h2", { id: "pictures-h" }, t("pictures")), list, file.el, status);
  // fields are where the API's errors of the pictures go.
  return { el: section, fields: () => ({ "input.imageUrls": file, "input.imageAlts": file, ...alts }),
    urls: () => pics.map((p) => p.url), alts: () => pics.map((p) => p.alt.trim()) };
}

const PRODUCT = `id status category code price taxClass allergens nameReading imageUrls imageAlts
  facility { id name } translations { locale name description }`;

route(/^products\/(new|(?!import$)[^/]+)$/, async (main, m) => {
  const isNew = m[1] === "new";
  const u = app.user;
  const d = await gql(
    `query Editor($fac: FacilityFilter${isNew ? "" : ", $id: ID!"}) {
      allergens { allergen nameJa nameEn mandatory }
      ${FACILITIES}
      ${isNew ? "" : `product(id: $id) { ${PRODUCT} }`}
    }`,
    isNew ? { fac: facilityFilter() } : { fac: facilityFilter(), id: m[1] },
  );
  const p = isNew ? null : d.product;
  if (!isNew && !p) {
    main.append(h("h1", {}, t("editorEdit")), errorBox("NOT_FOUND"), h("p", {}, h("a", { href: "#/products" }, t("backToList"))));
    return;
  }
  const texts = Object.fromEntries((p ? p.translations : []).map((tr) => [tr.locale, tr]));
  const fields = {};

  // Facility: FACILITY staff list their own facility's goods only.
  let facilityEl;
  if (u.role === "FACILITY") {
    facilityEl = h("p", {}, h("strong", {}, t("facility")), "：", named(u.facility.name));
  } else {
    const facs = d.facilities.edges.map((e) => e.node);
    const current = p ? p.facility.id : facs.length === 1 ? facs[0].id : "";
    fields["input.facilityId"] = field("p-facility", "facility", {}, {
      tag: "select",
      need: "required",
      kids: [h("option", { value: "" }, "—"), ...facs.map((f) => h("option", { value: f.id, selected: f.id === current }, f.name))],
    });
    facilityEl = fields["input.facilityId"].el;
  }

  // Every language side by side; what is typed in each is marked with its language.
  const langBoxes = LOCALES.map(([loc, tag]) => {
    const name = field(`tr-${loc}-name`, t("nameIn", { lang: t(loc) }), { value: (texts[loc] && texts[loc].name) || "", lang: tag, autocomplete: "off" },
      { need: loc === "JA" ? "required" : "optional" });
    const desc = field(`tr-${loc}-desc`, t("descIn", { lang: t(loc) }), { lang: tag, rows: 4 }, { tag: "textarea", need: "optional" });
    desc.input.value = (texts[loc] && texts[loc].description) || "";
    fields["tr." + loc + ".name"] = name;
    fields["tr." + loc + ".description"] = desc;
    return h("fieldset", { id: "lang-" + loc }, h("legend", {}, t(loc)), name.el, desc.el);
  });

  const reading = field("p-reading", "nameReading", { value: (p && p.nameReading) || "", lang: "ja", autocomplete: "off" },
    { need: "optional", hint: t("nameReadingHint") });
  fields["input.nameReading"] = reading;
  reading.input.addEventListener("input", () => {
    if (KANA.test(reading.input.value)) clearErrorOf(reading);
    else setError(reading, t("kanaOnly"));
  });

  const category = field("p-category", "category", {}, { tag: "select", need: "required", kids: options(CATEGORIES, p ? p.category : "FOOD") });
  const status = field("p-status", "status", {}, { tag: "select", need: "required", kids: options(STATUSES, p ? p.status : "DRAFT") });
  fields["input.category"] = category;
  fields["input.status"] = status;

  // The code is checked as it is typed; the verdict is read out once typing pauses.
  const code = field("p-code", "code", { value: (p && p.code) || "", inputmode: "numeric", autocomplete: "off" },
    { need: "optional", hint: t("codeHint") });
  fields["input.code"] = code;
  const codeOk = h("p", { id: "p-code-ok", class: "ok", hidden: true }, t("codeOk"));
  code.el.append(codeOk);
  code.input.setAttribute("aria-describedby", code.input.getAttribute("aria-describedby") + " p-code-ok");
  const checkCode = () => {
    const v = halfWidth(code.input.value);
    const bad = v ? checkJAN(v) : null;
    codeOk.hidden = !v || !!bad;
    if (bad) setError(code, t(bad.key, bad.vars));
    else clearErrorOf(code);
    return !bad;
  };
  code.input.addEventListener("input", checkCode);

  // The price with its tax class: the tax the price includes is shown beside it.
  const price = field("p-price", "price", { value: p ? String(p.price) : "", inputmode: "numeric", autocomplete: "off" }, { need: "required" });
  fields["input.price"] = price;
  const taxNote = h("p", { id: "p-tax-note", class: "hint", "aria-live": "polite" });
  const taxName = "p-tax";
  const taxChoices = TAX.map((c) =>
    h("div", { class: "choice" },
      h("input", { type: "radio", name: taxName, id: "p-tax-" + c, value: c, checked: (p ? p.taxClass : "REDUCED_8") === c }),
      h("label", { for: "p-tax-" + c }, t(c))),
  );
  const tax = h("fieldset", { class: "choices", id: "p-taxclass" }, h("legend", {}, t("taxClass")), ...taxChoices);
  const showTax = () => {
    const n = Number(halfWidth(price.input.value));
    const rate = RATE[tax.querySelector("input:checked").value];
    taxNote.replaceChildren(Number.isInteger(n) && n > 0 ? t("priceTax", { tax: yen(Math.floor((n * rate) / (100 + rate))) }) : "");
  };
  price.input.addEventListener("input", showTax);
  tax.addEventListener("change", showTax);
  showTax();

  // Allergens: the eight whose labelling is mandatory first, then the recommended.
  const chosen = new Set(p ? p.allergens : []);
  const en = getPrefs().lang === "en";
  const checklist = (mandatory, key) =>
    h("fieldset", { class: "group", id: mandatory ? "allergens-mandatory" : "allergens-recommended" },
      h("legend", {}, t(key)),
      h("ul", { class: "checks" },
        d.allergens.filter((a) => a.mandatory === mandatory).map((a) =>
          h("li", { class: "check" },
            h("input", { type: "checkbox", id: "al-" + a.allergen, value: a.allergen, checked: chosen.has(a.allergen) }),
            h("label", { for: "al-" + a.allergen }, allergenName(a, en))),
        )),
    );
  const allergens = h("section", { "aria-labelledby": "allergens-h" },
    h("h2", { id: "allergens-h" }, t("allergens")), checklist(true, "allergensMandatory"), checklist(false, "allergensRecommended"));

  const pictures = pictureField(p ? p.imageUrls : [], p ? p.imageAlts : [], () => fields["tr.JA.name"].input.value.trim() || ts("editorNew"));

  const general = h("div", { id: "p-errors" });
  const done = h("p", { id: "p-saved", class: "saved", role: "status" });
  const save = h("button", { id: "p-save", type: "submit", class: "primary" }, t("save"));
  const form = h(
    "form",
    { class: "editor", novalidate: true },
    h("section", { "aria-labelledby": "basics-h" }, h("h2", { id: "basics-h" }, t("facility")), facilityEl),
    h("section", { "aria-labelledby": "langs-h" },
      h("h2", { id: "langs-h" }, t("translations")), h("p", { class: "hint" }, t("translationsHint")),
      h("div", { class: "langs" }, langBoxes), reading.el),
    h("section", { class: "two" }, category.el, status.el),
    h("section", { class: "two" }, code.el, h("div", {}, price.el, taxNote, tax)),
    allergens,
    pictures.el,
    general,
    h("div", { class: "actions" }, save, h("a", { href: "#/products", class: "button-link quiet", id: "p-back" }, t("backToList")), done),
  );

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    done.replaceChildren();
    // What can be known here is said before anything is sent.
    const local = [];
    if (!fields["tr.JA.name"].input.value.trim()) local.push({ field: "tr.JA.name", code: "REQUIRED" });
    if (code.input.value.trim() && !checkCode()) local.push({ field: "input.code", code: "INVALID_JAN" });
    if (!KANA.test(reading.input.value)) local.push({ field: "input.nameReading", code: "INVALID_INPUT" });
    const n = Number(halfWidth(price.input.value));
    if (!price.input.value.trim()) local.push({ field: "input.price", code: "REQUIRED" });
    else if (!Number.isInteger(n) || n < 0) local.push({ field: "input.price", code: "OUT_OF_RANGE" });
    if (fields["input.facilityId"] && !fields["input.facilityId"].input.value) local.push({ field: "input.facilityId", code: "REQUIRED" });
    if (local.length) return placeErrors(local, fields, general);

    // The translations sent, in order: the API names a wrong one by its index.
    const sent = LOCALES.map(([loc]) => loc).filter((loc) => fields["tr." + loc + ".name"].input.value.trim());
    const slots = { ...fields, ...pictures.fields() };
    sent.forEach((loc, i) => {
      slots[`input.translations.${i}.name`] = fields["tr." + loc + ".name"];
      slots[`input.translations.${i}.description`] = fields["tr." + loc + ".description"];
    });
    slots["input.translations"] = fields["tr.JA.name"];
    const input = {
      translations: sent.map((loc) => ({ locale: loc, name: fields["tr." + loc + ".name"].input.value.trim(), description: fields["tr." + loc + ".description"].input.value.trim() })),
      nameReading: reading.input.value.trim(),
      category: category.input.value,
      code: halfWidth(code.input.value),
      price: n,
      taxClass: tax.querySelector("input:checked").value,
      allergens: [...form.querySelectorAll(".checks input:checked")].map((c) => c.value),
      status: status.input.value,
      imageUrls: pictures.urls(),
      imageAlts: pictures.alts(),
    };
    if (isNew) {
      input.facilityId = u.role === "FACILITY" ? u.facility.id : fields["input.facilityId"].input.value;
      if (!input.nameReading) delete input.nameReading;
      if (!input.code) delete input.code;
    } else {
      input.id = p.id;
    }
    save.disabled = true;
    try {
      const r = await gql(
        `mutation Save($input: ${isNew ? "CreateProductInput" : "UpdateProductInput"}!) {
          ${isNew ? "createProduct" : "updateProduct"}(input: $input) { product { id } userErrors { code field message } }
        }`,
        { input },
      );
      const res = r[isNew ? "createProduct" : "updateProduct"];
      if (placeErrors(res.userErrors, slots, general)) return;
      if (isNew) {
        sessionStorage.setItem("console.flash", ts("created"));
        go("products/" + res.product.id);
        return;
      }
      done.replaceChildren(t("saved"));
    } catch (e) {
      general.replaceChildren(errorBox(e));
      general.tabIndex = -1;
      general.focus();
    } finally {
      save.disabled = false;
    }
  });

  const flash = sessionStorage.getItem("console.flash");
  sessionStorage.removeItem("console.flash");
  if (flash) done.textContent = flash;
  main.append(h("h1", {}, isNew ? t("editorNew") : t("editorEdit")));
  if (p) main.append(h("p", { class: "lead", id: "p-name" }, withReading({ name: texts.JA ? texts.JA.name : "", nameReading: p.nameReading })));
  main.append(form);
  checkCode();
}, "navProducts");

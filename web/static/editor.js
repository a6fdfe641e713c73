// The template editor's live clarity check. As the text changes it asks the
// server (POST /api/v1/clarity, same origin, with the session cookie) for
// the clarity findings and a preview with the sample values, and shows them
// beside the form. Everything from the server or the editor is written with
// textContent: never as HTML. Without this script the Check button does the
// same through the server.

const form = document.querySelector('form[data-clarity-editor]')
const panel = document.getElementById('clarity')

function value (name) {
  const els = form.querySelectorAll('[name="' + name + '"]')
  for (const el of els) {
    if ((el.type === 'radio' || el.type === 'checkbox')) {
      if (el.checked) return el.value
    } else {
      return el.value
    }
  }
  return ''
}

function splitNames (s) {
  return s.split(/[,\n\r]/).map(x => x.trim()).filter(x => x !== '')
}

function normalise (name) {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_')
}

function input () {
  const placeholders = splitNames(value('placeholders'))
  const personalisation = {}
  for (const el of form.querySelectorAll('input[name^="sample-"]')) {
    if (el.value.trim() !== '') {
      const key = el.name.slice('sample-'.length)
      const name = placeholders.find(p => normalise(p) === key) || key
      personalisation[name] = el.value
    }
  }
  return {
    channel: value('channel') || 'letter',
    asks_to_act: value('asks_to_act') === 'yes',
    language: value('language'),
    subject: value('subject'),
    body: value('body'),
    placeholders,
    personalisation
  }
}

function el (tag, className, text) {
  const e = document.createElement(tag)
  if (className) e.className = className
  if (text !== undefined) e.textContent = text
  return e
}

function tag (text, colour) {
  return el('strong', 'govuk-tag govuk-tag--' + colour, text)
}

function row (list, key, val) {
  const r = el('div', 'govuk-summary-list__row')
  r.append(el('dt', 'govuk-summary-list__key', key), el('dd', 'govuk-summary-list__value', val))
  list.append(r)
}

function bullets (heading, items) {
  if (!items || items.length === 0) return []
  const ul = el('ul', 'govuk-list govuk-list--bullet')
  for (const text of items) ul.append(el('li', '', text))
  return [el('h3', 'govuk-heading-s', heading), ul]
}

function plural (n, one, many) { return n === 1 ? one : many }

function render (answer) {
  const r = answer.report || {}
  const out = [el('h2', 'govuk-heading-m', 'Clarity')]
  const p = el('p', 'govuk-body')
  p.append(r.passes_bar || r.PassesBar ? tag('Clear enough to publish', 'green') : tag('Below the bar', 'red'))
  out.push(p)
  const get = (a, b) => (r[a] !== undefined ? r[a] : r[b])
  const dl = el('dl', 'govuk-summary-list govuk-summary-list--no-border')
  if (get('translation', 'Translation')) {
    row(dl, 'Reading ease', 'Not measured: English only')
  } else {
    row(dl, 'Reading ease', Number(get('reading_ease', 'ReadingEase') || 0).toFixed(1))
    row(dl, 'Grade', Number(get('grade', 'Grade') || 0).toFixed(1) + ' (reading age ' + (get('reading_age', 'ReadingAge') || 0) + ')')
  }
  const words = get('words', 'Words') || 0
  const sentences = get('sentences', 'Sentences') || 0
  row(dl, 'Length', words + ' ' + plural(words, 'word', 'words') + ', ' + sentences + ' ' + plural(sentences, 'sentence', 'sentences'))
  const sms = get('sms', 'SMS')
  if (sms) {
    const parts = sms.parts !== undefined ? sms.parts : sms.Parts
    const chars = sms.characters !== undefined ? sms.characters : sms.Characters
    const enc = sms.encoding !== undefined ? sms.encoding : sms.Encoding
    row(dl, 'Text message', chars + ' characters, ' + parts + ' ' + plural(parts, 'part', 'parts') + ' (' + enc + ')')
  }
  out.push(dl)
  const texts = (list, f) => (list || []).map(f)
  out.push(...bullets('Problems', get('problems', 'Problems')))
  out.push(...bullets('Not checked', get('notes', 'Notes')))
  out.push(...bullets('Placeholders', answer.placeholder_errors))
  out.push(...bullets('Long sentences', texts(get('long_sentences', 'LongSentences'), s => (s.text || s.Text || '') + ' (' + (s.words || s.Words || 0) + ' words)')))
  out.push(...bullets('Words to change', texts(get('jargon', 'Jargon'), f => {
    const phrase = f.phrase || f.Phrase || ''
    const sug = f.suggestion || f.Suggestion || ''
    return '“' + phrase + '”' + (sug ? ': try “' + sug + '”' : '')
  })))
  out.push(...bullets('Passive voice', texts(get('passive', 'Passive'), f => '“' + (f.phrase || f.Phrase || '') + '”')))
  const parts = get('parts', 'Parts')
  if (parts) out.push(...bullets('It does not say', parts.missing || parts.Missing))
  out.push(el('h3', 'govuk-heading-s', 'Preview'))
  const box = el('div', 'app-notice-content')
  if (answer.preview_subject) box.append(el('p', 'govuk-body govuk-!-font-weight-bold', answer.preview_subject))
  box.append(el('div', 'app-notice-text', answer.preview || ''))
  out.push(box)
  panel.replaceChildren(...out)
}

let timer = null
let controller = null

async function check () {
  const body = input()
  if (body.body.trim() === '') return
  if (controller) controller.abort()
  controller = new AbortController()
  try {
    const resp = await fetch('/api/v1/clarity', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal
    })
    if (!resp.ok) return // the Check button still works
    render(await resp.json())
  } catch (err) {
    if (err.name !== 'AbortError') {
      panel.dataset.liveCheck = 'unavailable'
    }
  }
}

function schedule () {
  clearTimeout(timer)
  timer = setTimeout(check, 300)
}

if (form && panel) {
  form.addEventListener('input', schedule)
  form.addEventListener('change', schedule)
  panel.dataset.liveCheck = 'on'
}

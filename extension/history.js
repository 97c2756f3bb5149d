// How a sent report stands, in words: shared by the popup's history and the
// confirm step's answer, so that both say the same thing.
const { t } = globalThis.Genuine;
const time = (ms) => new Date(ms).toLocaleTimeString(globalThis.Genuine.uiLanguage(), { hour: '2-digit', minute: '2-digit' });

const CATEGORY = {
  counterfeit: 'report_cat_counterfeit',
  impersonation: 'report_cat_impersonation',
  price_dumping: 'report_cat_price_dumping',
  defamation: 'report_cat_defamation',
  other: 'report_cat_other',
};

/** One sentence for an entry of the queue (reports.js). */
export function stateText(e) {
  switch (e.state) {
    case 'queued':
      return t('report_state_queued', time(e.next_at ?? Date.now()));
    case 'sent':
      return t('report_state_sent');
    case 'received':
      return t('report_state_received', e.reference ?? '');
    case 'confirmed':
      return t('report_state_confirmed', e.reference ?? '');
    case 'rejected':
      return t('report_state_rejected', e.reference ?? '');
    default:
      return t('report_state_failed', e.error ?? '');
  }
}

export const categoryText = (c) => t(CATEGORY[c] ?? CATEGORY.other);

/** The popup's list: store, category, date, and how it stands. */
export function historyItems(entries) {
  return entries.map((e) => {
    const li = document.createElement('li');
    li.dataset.id = e.id;
    li.dataset.state = e.state;
    const what = document.createElement('strong');
    what.textContent = t('popup_report_item', e.store_name ?? '', globalThis.Genuine.platformName(e.platform));
    const when = new Date(e.created_at).toLocaleDateString(globalThis.Genuine.uiLanguage());
    const detail = document.createElement('span');
    detail.className = 'state';
    detail.textContent = stateText(e);
    li.append(what, ` · ${categoryText(e.category)} · ${when} · ${t('popup_report_to', e.inbox ?? '')}`, document.createElement('br'), detail);
    return li;
  });
}

// The early wake (issue 17): runs at document_start on the marketplaces, so
// a stopped worker (Chrome stops an idle one after ~30 s, Firefox suspends
// its event page) starts — modules, wasm, registries — while the page is
// still arriving, instead of when content.js first asks at document_idle.
// The message carries nothing but its name: not the address, nothing of the
// page. The reply is empty and not waited for.
globalThis.Genuine.api.runtime.sendMessage({ type: globalThis.Genuine.MSG.WAKE }).catch(() => {});

/* The page slug follows the title as pinyin (备孕女性为什么要补叶酸 → beiyun-nvxing-weishenme-yao-bu-yesuan).
 * Wagtail's own slug controller can only drop Chinese characters when WAGTAIL_ALLOW_UNICODE_SLUGS is
 * off, so this controller takes over its title-sync actions and asks the server for the same slug the
 * server would set itself (content/base/slugs.py). Typing in the slug field by hand stops the sync. */
(() => {
  const register = () => {
    const { Controller } = window.StimulusModule;

    class PinyinSlugController extends Controller {
      static values = { url: String, auto: { type: String, default: '' } };

      connect() {
        this.request = 0;
      }

      /* w-sync:check (the title gains focus): keep following the title unless the slug was edited. */
      compare(event) {
        const slug = this.element.value;
        if (slug && slug !== this.autoValue) event.preventDefault();
        event.stopImmediatePropagation();
      }

      /* w-sync:apply (the title changed): fetch its pinyin slug. */
      async apply(event) {
        event.preventDefault();
        event.stopImmediatePropagation();
        const title = (event.detail && event.detail.value) || '';
        const request = ++this.request;
        if (!title.trim()) {
          this.set('');
          return;
        }
        const url = new URL(this.urlValue, window.location.href);
        url.searchParams.set('title', title);
        const parent = window.location.pathname.match(/\/pages\/add\/[^/]+\/[^/]+\/(\d+)\//);
        if (parent) url.searchParams.set('parent', parent[1]);
        try {
          const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
          if (!response.ok || request !== this.request) return;
          const { slug } = await response.json();
          if (request === this.request) this.set(slug);
        } catch (error) {
          // Offline or signed out: the server sets the slug on save.
        }
      }

      set(slug) {
        this.element.value = slug;
        this.autoValue = slug;
        this.element.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }

    window.wagtail.app.register('portal-pinyin-slug', PinyinSlugController);
  };

  if (window.wagtail && window.wagtail.app && window.StimulusModule) register();
  else document.addEventListener('DOMContentLoaded', register);
})();

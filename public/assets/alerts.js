/*
 * The /alerts page (docs/push.md): breaking-news alerts on this device. Nothing happens on load but finding
 * out whether this browser already gets alerts; permission is asked only inside the click on "Get breaking
 * news alerts". Talks to /push/subscription (JSON) with the subscription the browser made.
 */
'use strict';
(() => {
  const form = document.querySelector('[data-push-alerts]');
  if (!form) return;
  const supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window && window.isSecureContext;
  if (!supported) return; // the page's own message says what is missing

  const status = form.querySelector('[data-push-status]');
  const buttons = {
    subscribe: form.querySelector('[data-push-action="subscribe"]'),
    update: form.querySelector('[data-push-action="update"]'),
    stop: form.querySelector('[data-push-action="stop"]'),
  };
  const say = (text) => {
    status.textContent = text;
  };
  const chosenTopics = () => [...form.querySelectorAll('input[name="topics"]:checked')].map((box) => box.value);
  const showSubscribed = (subscribed) => {
    buttons.subscribe.hidden = subscribed;
    buttons.update.hidden = !subscribed;
    buttons.stop.hidden = !subscribed;
  };
  const busy = (on) => {
    for (const button of Object.values(buttons)) button.disabled = on;
  };

  /** The VAPID key (base64url) as the bytes pushManager.subscribe wants. */
  const keyBytes = (base64url) => {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };

  const call = async (method, path, body) => {
    const response = await fetch(path, { method, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    if (response.status === 204) return {};
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error((data.error && data.error.message) || `Error ${response.status}`), { status: response.status });
    return data;
  };
  const ref = (subscription) => {
    const json = subscription.toJSON();
    return { endpoint: json.endpoint, auth: json.keys.auth };
  };

  const registration = () => navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(() => navigator.serviceWorker.ready);

  const save = async (subscription) => {
    const topics = chosenTopics();
    if (topics.length === 0) {
      say('Choose at least one topic, or stop alerts.');
      return false;
    }
    await call('PUT', '/push/subscription', { subscription: subscription.toJSON(), topics });
    return true;
  };

  buttons.subscribe.addEventListener('click', async () => {
    if (chosenTopics().length === 0) return say('Choose at least one topic first.');
    busy(true);
    try {
      // Asked here, in the reader's click, and nowhere else.
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        say('Your browser is set not to show our notifications. You can allow them in its site settings, then try again.');
        return;
      }
      const reg = await registration();
      const subscription = (await reg.pushManager.getSubscription()) || (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(form.dataset.key) }));
      if (await save(subscription)) {
        showSubscribed(true);
        say('Done: alerts are on for this device.');
      }
    } catch (error) {
      say(`We could not turn alerts on: ${error.message}`);
    } finally {
      busy(false);
    }
  });

  buttons.update.addEventListener('click', async () => {
    busy(true);
    try {
      const subscription = await (await registration()).pushManager.getSubscription();
      if (!subscription) {
        showSubscribed(false);
        return say('Alerts are off on this device. Press the button to turn them on.');
      }
      if (await save(subscription)) say('Saved: you will get alerts about what you ticked.');
    } catch (error) {
      say(`We could not save your choices: ${error.message}`);
    } finally {
      busy(false);
    }
  });

  buttons.stop.addEventListener('click', async () => {
    busy(true);
    try {
      const subscription = await (await registration()).pushManager.getSubscription();
      if (subscription) {
        await call('DELETE', '/push/subscription', ref(subscription)).catch((error) => {
          if (error.status !== 404) throw error; // already gone from our side: still unsubscribe the browser
        });
        await subscription.unsubscribe();
      }
      showSubscribed(false);
      say('Alerts are off for this device.');
    } catch (error) {
      say(`We could not stop alerts: ${error.message}`);
    } finally {
      busy(false);
    }
  });

  // Show the controls, and what this browser already chose.
  form.hidden = false;
  const unsupported = document.querySelector('[data-push-unsupported]');
  if (unsupported) unsupported.hidden = true;
  showSubscribed(false);
  navigator.serviceWorker.getRegistration('/').then(async (reg) => {
    const subscription = reg && (await reg.pushManager.getSubscription());
    if (!subscription) return;
    try {
      const found = await call('POST', '/push/subscription/find', ref(subscription));
      for (const box of form.querySelectorAll('input[name="topics"]')) box.checked = found.topics.includes(box.value);
      showSubscribed(true);
      say(found.active ? 'Alerts are on for this device.' : 'Alerts had stopped reaching this device; save your choices to start them again.');
    } catch {
      // We do not hold it (removed after delivery failures): the reader can subscribe again.
    }
  }).catch(() => {});
})();

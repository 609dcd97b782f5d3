"use strict";
// Signing in to the services' pages, shared by all of them (served at /assets/signin.js).
//
// With an OpenID Connect provider in the page's config (`issuer`, `client_id`): a page without a session goes
// to the provider's login page (authorization code with PKCE, S256), comes back with a code it exchanges for
// tokens, keeps them in sessionStorage (this tab only), renews them with the refresh token before they expire,
// and signs out at the provider. Without one (development), a token already in sessionStorage as "token" is
// used as it is. Every service checks every token itself: what is read here is for showing only.

const SignIn = (() => {
  const SESSION = "signin.session"; // {access_token, refresh_token, id_token, expires_at}
  const PENDING = "signin.pending"; // {state, nonce, verifier, back} while the provider's login page is open
  const SIGNED_OUT = "signin.signed-out";
  const ROLES = {
    operator: "12345热线", station: "乡镇工作站", county_centre: "县级未保中心",
    committee: "未保工作协调机制", village: "村（居）儿童主任", admin: "系统管理员",
  };
  const EARLY = 60; // seconds before expiry that a token is renewed
  let config = {};
  let provider = null;
  let renewing = null;
  let timer = null;
  const leaving = []; // what a page clears before signing out (what it kept on the device)
  const asking = []; // what a page warns of before signing out: a warning, or "" when nothing would be lost
  const WARNED_FOR = 8000; // ms within which a second press signs out despite the warning
  let warned = 0;

  const read = (key) => { try { return JSON.parse(sessionStorage.getItem(key)); } catch { return null; } };
  const keep = (key, value) => sessionStorage.setItem(key, JSON.stringify(value));
  const session = () => read(SESSION);
  const pageUrl = () => location.origin + location.pathname;
  const now = () => Date.now() / 1000;

  function base64url(bytes) {
    return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  const random = (size) => base64url(crypto.getRandomValues(new Uint8Array(size)));

  function claimsOf(jwt) {
    try {
      const text = atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"));
      return JSON.parse(new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0))));
    } catch { return null; }
  }

  const claim = (claims, path) => path.split(".").reduce((node, key) => (node == null ? node : node[key]), claims);

  function developmentToken() { return config.issuer ? "" : sessionStorage.getItem("token") || ""; }

  function token() { return config.issuer ? session()?.access_token || "" : developmentToken(); }

  // Who is signed in: the role and scope from the access token's claims, the name from the ID token's.
  function caller() {
    const access = claimsOf(token());
    if (!access) return null;
    const person = claimsOf(session()?.id_token || "") || access;
    const roles = [].concat(claim(access, config.issuer ? config.roles_claim : "role") ?? []);
    const cjk = /^[\u3400-\u9fff]+$/;
    const name = cjk.test(person.family_name || "") && cjk.test(person.given_name || "")
      ? person.family_name + person.given_name : person.name || person.preferred_username || access.sub;
    return {
      role: roles.find((role) => role in ROLES) || roles[0] || "",
      scope: String(claim(access, config.issuer ? config.scope_claim : "scope") ?? ""),
      subject: access.sub,
      name,
    };
  }

  // The header's corner: who is signed in and the button to sign out, or why no one is and how to.
  function corner() {
    let box = document.getElementById("signin");
    if (box) return box;
    box = document.createElement("div");
    box.id = "signin";
    box.className = "signin";
    box.innerHTML = '<span id="who" class="who"></span> <span id="signin-message" class="signin-message" role="status"></span>'
      + ' <button id="sign-in" type="button" hidden>登录</button> <button id="sign-out" type="button" hidden>退出登录</button>';
    (document.querySelector("header") || document.body).append(box);
    box.querySelector("#sign-in").addEventListener("click", () => { sessionStorage.removeItem(SIGNED_OUT); signIn(); });
    box.querySelector("#sign-out").addEventListener("click", async () => { if (await mayLeave()) await signOut(); });
    return box;
  }

  function show(message, canSignIn = false) {
    const box = corner();
    const who = message ? null : caller();
    if (!message && !who) { message = "访问令牌无法识别，请重新登录"; canSignIn = Boolean(provider); }
    box.querySelector("#who").textContent = message ? "" : `${who.name} · ${ROLES[who.role] || who.role}`;
    box.querySelector("#who").title = message || !who.scope ? "" : `范围 ${who.scope}`;
    box.querySelector("#signin-message").textContent = message || "";
    box.querySelector("#sign-in").hidden = !canSignIn;
    box.querySelector("#sign-out").hidden = Boolean(message);
  }

  async function discover() {
    const response = await fetch(`${config.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`discovery ${response.status}`);
    return response.json();
  }

  async function signIn() {
    const verifier = random(48);
    const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    const pending = { state: random(16), nonce: random(16), verifier, back: location.href };
    keep(PENDING, pending);
    const url = new URL(provider.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: "code", client_id: config.client_id, redirect_uri: pageUrl(), scope: "openid profile",
      state: pending.state, nonce: pending.nonce, code_challenge: challenge, code_challenge_method: "S256",
    });
    location.assign(url);
  }

  async function tokenRequest(fields) {
    const response = await fetch(provider.token_endpoint, {
      method: "POST", body: new URLSearchParams({ client_id: config.client_id, ...fields }),
    });
    if (!response.ok) throw new Error(`token endpoint ${response.status}`);
    const answer = await response.json();
    const kept = session() || {};
    keep(SESSION, {
      access_token: answer.access_token,
      refresh_token: answer.refresh_token || kept.refresh_token,
      id_token: answer.id_token || kept.id_token,
      expires_at: now() + Number(answer.expires_in || 60),
    });
  }

  // Back from the provider's login page: the code, checked against what this tab sent, becomes tokens.
  async function finishSignIn(params) {
    const pending = read(PENDING);
    sessionStorage.removeItem(PENDING);
    history.replaceState(null, "", pending?.back || pageUrl());
    if (params.has("error")) return "登录未完成，请重新登录";
    if (!pending || params.get("state") !== pending.state) return "登录请求已失效，请重新登录";
    if (params.has("iss") && params.get("iss") !== provider.issuer) return "登录应答来自未知的认证服务";
    try {
      await tokenRequest({
        grant_type: "authorization_code", code: params.get("code"), redirect_uri: pageUrl(), code_verifier: pending.verifier,
      });
    } catch { return "登录失败，请重新登录"; }
    if (claimsOf(session().id_token || "")?.nonce !== pending.nonce) {
      sessionStorage.removeItem(SESSION);
      return "登录应答无效，请重新登录";
    }
    sessionStorage.removeItem(SIGNED_OUT);
    return "";
  }

  // One renewal at a time: the provider takes each refresh token once.
  function renew() {
    if (!renewing) {
      renewing = tokenRequest({ grant_type: "refresh_token", refresh_token: session()?.refresh_token || "" })
        .then(() => { schedule(); return true; })
        .catch(() => { sessionStorage.removeItem(SESSION); show("登录已过期，请重新登录", true); return false; })
        .finally(() => { renewing = null; });
    }
    return renewing;
  }

  function schedule() {
    clearTimeout(timer);
    const seconds = Math.max(5, (session()?.expires_at || 0) - now() - EARLY);
    timer = setTimeout(renew, seconds * 1000);
  }

  // The first press shows what signing out would lose (in the page, not a dialog); a second press soon after goes on.
  async function mayLeave() {
    if (Date.now() - warned < WARNED_FOR) return true;
    for (const ask of asking) {
      let warning = "";
      try { warning = await ask(); } catch { /* nothing to warn of */ }
      if (!warning) continue;
      const message = corner().querySelector("#signin-message");
      message.textContent = warning;
      warned = Date.now();
      setTimeout(() => { if (message.textContent === warning) message.textContent = ""; }, WARNED_FOR);
      return false;
    }
    return true;
  }

  async function signOut() {
    for (const clear of leaving) { try { await clear(); } catch { /* signing out goes on */ } }
    const idToken = session()?.id_token;
    sessionStorage.removeItem(SESSION);
    sessionStorage.removeItem("token");
    if (!provider?.end_session_endpoint) { location.reload(); return; }
    sessionStorage.setItem(SIGNED_OUT, "1");
    const url = new URL(provider.end_session_endpoint);
    url.search = new URLSearchParams({
      client_id: config.client_id, post_logout_redirect_uri: pageUrl(), ...(idToken ? { id_token_hint: idToken } : {}),
    });
    location.assign(url);
  }

  // The bearer token for a call, renewed first if it is about to expire (a tab asleep misses its timer).
  async function bearer() {
    if (config.issuer && session() && session().expires_at - now() < EARLY / 2) await renew();
    return token();
  }

  // Loads the page's config and signs in; the config once someone is signed in, else null (the page waits).
  async function start(configUrl) {
    config = await (await fetch(configUrl)).json();
    corner();
    if (!config.issuer) {
      if (!developmentToken()) { show("未配置统一身份认证（OIDC_ISSUER），无法登录，请联系系统管理员"); return null; }
      show("");
      return config;
    }
    try { provider = await discover(); } catch { show("无法连接统一身份认证服务，请稍后刷新本页"); return null; }
    const params = new URLSearchParams(location.search);
    if (params.has("state") && (params.has("code") || params.has("error"))) {
      const failed = await finishSignIn(params);
      if (failed) { show(failed, true); return null; }
    } else if (!session()) {
      if (sessionStorage.getItem(SIGNED_OUT)) { show("已退出登录", true); return null; }
      await signIn();
      return null;
    }
    if (session().expires_at - now() < EARLY / 2 && !(await renew())) { await signIn(); return null; } // nothing typed yet
    schedule();
    show("");
    return config;
  }

  const onSignOut = (clear) => leaving.push(clear);
  const warnBeforeSignOut = (ask) => asking.push(ask);

  return { start, token, bearer, caller, signOut, onSignOut, warnBeforeSignOut };
})();

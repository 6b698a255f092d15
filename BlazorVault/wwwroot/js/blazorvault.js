// Small helpers called from components. Loaded as a plain script: the CSP allows only same-origin scripts.
(function () {
    // Writes to the clipboard from this page, so an older copy knows a newer one took over.
    let copies = 0;
    // Moments something else may have reached the clipboard: the page lost focus (the agent may have copied elsewhere),
    // or the agent copied or cut something here.
    let touches = 0;
    // The clear waiting for the last copied password. It keeps the SHA-256 of the value, never the value itself.
    let pendingClear = null;

    window.addEventListener("blur", () => touches++);
    document.addEventListener("copy", () => touches++);
    document.addEventListener("cut", () => touches++);

    function cancelPendingClear() {
        if (pendingClear) {
            clearTimeout(pendingClear.timer);
            window.removeEventListener("focus", pendingClear.check);
            pendingClear = null;
        }
    }

    async function sha256(text) {
        const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
        return Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, "0")).join("");
    }

    // Reads the clipboard only where the browser allows it without asking: never a permission prompt or a paste button.
    async function readClipboardQuietly() {
        try {
            const permission = await navigator.permissions.query({ name: "clipboard-read" });
            return permission.state === "granted" ? await navigator.clipboard.readText() : null;
        } catch {
            return null;
        }
    }

    async function clearIfStillThere(pending) {
        if (pendingClear !== pending) {
            return;
        }

        if (!document.hasFocus()) {
            // Reading and writing the clipboard need the page in focus: check when the agent comes back to it.
            window.addEventListener("focus", pending.check, { once: true });
            return;
        }

        // Unreadable, the clipboard still holds the password only if nothing can have replaced it since the copy.
        const current = await readClipboardQuietly();
        const stillThere = current === null ? pending.touches === touches : (await sha256(current)) === pending.digest;
        if (pendingClear !== pending) {
            return;
        }

        pendingClear = null;
        if (stillThere) {
            try {
                await navigator.clipboard.writeText("");
            } catch {
                // Some browsers write to the clipboard only during a click: the value stays, as it would without a timer.
            }
        }
    }

    // A table row with a link marked data-row-link opens like that link from a click anywhere on it, in the browser, with
    // no round trip through the circuit: Ctrl/Cmd or the middle button open a new tab. The link itself, any other control
    // in the row, and a click that ends a text selection are left alone. Keyboard and screen-reader users have the link.
    function rowLink(event) {
        const target = event.target instanceof Element ? event.target : null;
        const link = target?.closest("tr")?.querySelector("a[data-row-link]");
        const onControl = target?.closest("a, button, input, select, textarea, label, [role=button]");
        return link && !onControl && !event.defaultPrevented && document.getSelection().isCollapsed ? link.href : null;
    }

    document.addEventListener("click", event => {
        const href = event.button === 0 ? rowLink(event) : null;
        if (href && (event.ctrlKey || event.metaKey)) {
            window.open(href, "_blank", "noopener");
        } else if (href) {
            Blazor.navigateTo(href);
        }
    });
    document.addEventListener("auxclick", event => {
        const href = event.button === 1 ? rowLink(event) : null;
        if (href) {
            window.open(href, "_blank", "noopener");
        }
    });

    window.blazorVault = {
        setTheme: function (dark) {
            document.cookie = "bv-theme=" + (dark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=lax";
        },
        submitForm: function (id) {
            const form = document.getElementById(id);
            if (form) { form.requestSubmit(); }
        },
        copyText: async function (text) {
            await navigator.clipboard.writeText(text);
            copies++;
            cancelPendingClear();
        },
        // Copies a password, then clears the clipboard after the given seconds if it still holds that password. The timer
        // lives here, not in the circuit, so it runs even if the connection drops.
        copySecret: async function (text, seconds) {
            await navigator.clipboard.writeText(text);
            const copy = ++copies;
            const touchesAtCopy = document.hasFocus() ? touches : null;
            const digest = await sha256(text);
            if (copy !== copies) {
                return;
            }

            cancelPendingClear();
            const pending = { digest: digest, touches: touchesAtCopy };
            pending.check = () => clearIfStillThere(pending);
            pending.timer = setTimeout(pending.check, seconds * 1000);
            pendingClear = pending;
        }
    };
})();

// Static password pages (change, reset, welcome): the live policy checklist, "Generate", and, on a set-password
// link, the verifier that only the URL fragment carries, copied into the form so that only the POST body sends it.
(function () {
    const form = document.getElementById("set-password-form");
    if (form) {
        const verifier = window.location.hash.length > 1 ? window.location.hash.substring(1) : "";
        form.querySelector("[data-verifier]").value = verifier;
        // Post back to the link as sent: the browser keeps the fragment for the next page (never sending it).
        form.action = window.location.pathname + window.location.hash;
        if (!verifier) {
            document.getElementById("link-incomplete").hidden = false;
            document.getElementById("save-password").disabled = true;
        }
    }

    if (document.getElementById("password-set")) {
        // Used: the link is spent. For a few minutes its verifier still proves the link to the form that removes the
        // account's other ways of signing in; then take it out of the address bar and history.
        const removal = document.getElementById("remove-factors-form");
        if (removal) {
            removal.querySelector("[data-verifier]").value = window.location.hash.substring(1);
        }
        history.replaceState(null, "", window.location.pathname);
    }

    const rules = document.getElementById("password-rules");
    if (!rules) {
        return;
    }

    const input = document.getElementById(rules.dataset.new);
    const confirm = document.getElementById(rules.dataset.confirm);
    const min = Number(rules.dataset.min);
    const max = Number(rules.dataset.max);
    const allowed = rules.dataset.allowed || "";

    function mark(rule, ok) {
        const item = rules.querySelector('[data-rule="' + rule + '"]');
        if (item) {
            item.classList.toggle("bv-rule-ok", ok);
            item.classList.toggle("bv-rule-bad", !ok && input.value.length > 0);
        }
    }

    function check() {
        const value = input.value;
        const length = Array.from(value).length;
        mark("min", length >= min);
        mark("max", length > 0 && length <= max);
        mark("allowed", length > 0 && (!allowed || Array.from(value).every(function (c) { return allowed.includes(c); })));
        mark("confirm", length > 0 && confirm.value === value);
    }

    input.addEventListener("input", check);
    confirm.addEventListener("input", check);

    document.getElementById("generate-password").addEventListener("click", function () {
        const alphabet = Array.from(rules.dataset.generator);
        const length = Number(rules.dataset.generatedLength);
        const random = new Uint32Array(length);
        crypto.getRandomValues(random);
        // Values past the largest multiple of the alphabet's size are drawn again, so every character is equally likely.
        const limit = Math.floor(4294967296 / alphabet.length) * alphabet.length;
        let password = "";
        for (let i = 0; i < length; i++) {
            let r = random[i];
            while (r >= limit) {
                r = crypto.getRandomValues(new Uint32Array(1))[0];
            }
            password += alphabet[r % alphabet.length];
        }
        input.value = password;
        confirm.value = password;
        input.type = "text";
        confirm.type = "text";
        document.getElementById("generated-note").hidden = false;
        check();
    });
})();

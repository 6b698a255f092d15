// The secure message page: the verifier travels only in the URL fragment, which browsers never send. Copy it into
// the form so that only the POST body carries it; and copy a shown message to the clipboard.
(function () {
    // Sign-in first: keep the verifier in this tab only (sessionStorage) across the sign-in, which cannot carry it.
    const signIn = document.getElementById("secure-sign-in");
    if (signIn) {
        // Back here without the form (signed in with another account): the kept verifier returns to the address
        // bar, its only other home, so nothing lingers in storage.
        const kept = sessionStorage.getItem("bv-secure-" + signIn.dataset.selector);
        sessionStorage.removeItem("bv-secure-" + signIn.dataset.selector);
        if (window.location.hash.length <= 1 && kept) {
            history.replaceState(null, "", window.location.pathname + "#" + kept);
        }

        signIn.addEventListener("click", function () {
            if (window.location.hash.length > 1) {
                sessionStorage.setItem("bv-secure-" + signIn.dataset.selector, window.location.hash.substring(1));
            }
        });
    }

    const form = document.getElementById("secure-form");
    if (form) {
        const key = "bv-secure-" + window.location.pathname.split("/").pop();
        const kept = sessionStorage.getItem(key);
        sessionStorage.removeItem(key);
        if (window.location.hash.length <= 1 && kept) {
            history.replaceState(null, "", window.location.pathname + "#" + kept);
        }

        const verifier = window.location.hash.length > 1 ? window.location.hash.substring(1) : "";
        form.querySelector("[data-verifier]").value = verifier;

        // Post back to the link as sent: the browser keeps the fragment for the next page (never sending it), so
        // a second try after a wrong passphrase still has the verifier.
        form.action = window.location.pathname + window.location.hash;
        if (!verifier) {
            document.getElementById("secure-link-incomplete").hidden = false;
            document.getElementById("view-message").disabled = true;
        }
    }

    const copy = document.getElementById("copy-secure-content");
    if (copy) {
        // Viewed: the link is spent, so take the verifier out of the address bar and history.
        history.replaceState(null, "", window.location.pathname);
        copy.addEventListener("click", function () {
            const text = document.getElementById(copy.dataset.copyTarget).value;
            navigator.clipboard.writeText(text).then(function () { copy.textContent = "Copied"; });
        });
    }
})();

// Small helpers called from components. Loaded as a plain script: the CSP allows only same-origin scripts.
window.blazorVault = {
    setTheme: function (dark) {
        document.cookie = "bv-theme=" + (dark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=lax";
    },
    submitForm: function (id) {
        const form = document.getElementById(id);
        if (form) { form.requestSubmit(); }
    },
    copyText: function (text) {
        return navigator.clipboard.writeText(text);
    }
};

using System.Net;
using System.Text.RegularExpressions;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>Submits the app's statically rendered forms over real HTTP, hidden fields (antiforgery, handler) included.</summary>
public static partial class HttpForms
{
    public static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient client,
        string path,
        string formName,
        IReadOnlyDictionary<string, string> fields
    ) => await client.PostAsync(path, await FillAsync(client, path, formName, fields));

    /// <summary>The form as the page renders it, hidden fields included, with these fields filled in: ready to post.</summary>
    public static async Task<FormUrlEncodedContent> FillAsync(
        HttpClient client,
        string path,
        string formName,
        IReadOnlyDictionary<string, string> fields
    )
    {
        var html = await client.GetStringAsync(path);
        var form =
            FormPattern()
                .Matches(html)
                .Select(m => m.Value)
                .FirstOrDefault(f => f.Contains($"value=\"{formName}\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No form '{formName}' on {path}.");
        var values = HiddenInputPattern()
            .Matches(form)
            .ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return new FormUrlEncodedContent(values);
    }

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password = TestPasswords.Default) =>
        SubmitAsync(
            client,
            "/Account/Login",
            "login",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password }
        );

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInputPattern();
}

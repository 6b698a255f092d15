using BlazorVault.Components.Audit.Admin;

namespace BlazorVault.Tests.Audit.Web;

public sealed class AuditExportCellTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    public void Cells_AreQuotedAndNeverRunAsFormulas(string? value, string expected) =>
        Assert.Equal(expected, AuditExportEndpoint.Cell(value));
}

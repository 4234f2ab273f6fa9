using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// After each test of the collection it marks: the test fails when an exchange with the API since the previous test
/// departed from the served OpenAPI document, each violation named by method, path, status, operation, JSON pointer and
/// rule. The test's own assertions run first, so a red test still says what it was testing.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ContractCheckedAttribute : BeforeAfterTestAttribute
{
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        var violations = ContractLedger.Shared.Drain();
        if (violations.Count > 0)
        {
            throw new XunitException($"{violations.Count} exchange(s) departed from the served OpenAPI document:\n" + string.Join("\n", violations.Take(40))
                + (violations.Count > 40 ? $"\n... and {violations.Count - 40} more" : ""));
        }
    }
}

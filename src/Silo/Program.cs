using Orleans.Dashboard;
using Payments.Actors.ApiFront;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.ServiceDefaults;
using Payments.Actors.Silo;

// The silo; by default it also serves the merchant API (Api:CoHosted), the one-machine layout.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("payments-silo");
builder.AddPaymentsSilo();
var coHosted = builder.Configuration.GetValue("Api:CoHosted", true);
if (coHosted)
{
    builder.AddApiFront();
}

var app = builder.Build();
var migrator = app.Services.GetRequiredService<Migrator>();
if (args is ["migrations", "status", ..])
{
    // Operators' view of the schema: what ran, what a start would run, what was edited after it ran.
    var status = await migrator.StatusAsync(CancellationToken.None);
    Console.WriteLine($"applied: {status.Applied.Count}, pending: {status.Pending.Count}, edited: {status.Edited.Count}");
    foreach (var name in status.Pending)
    {
        Console.WriteLine($"pending {name}");
    }

    foreach (var name in status.Edited)
    {
        Console.WriteLine($"edited  {name}");
    }

    return status.Edited.Count == 0 ? 0 : 1;
}

await migrator.MigrateAsync(CancellationToken.None);
app.UseManagementAccess(app.Configuration);
if (coHosted)
{
    app.UseApiFront();
}
else
{
    app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
    app.MapHealthChecks("/health/ready");
}

app.MapServiceDefaults();
if (SiloHostingExtensions.DashboardEnabled(app.Configuration))
{
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}

await app.RunAsync();
return 0;

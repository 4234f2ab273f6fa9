using Orleans.Dashboard;
using Payments.Actors.ApiFront;
using Payments.Actors.Grains.Storage;
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
await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
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

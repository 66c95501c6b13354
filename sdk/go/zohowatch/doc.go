// Zoho CRM instant-notification subscriptions (watch channels) declared in code and kept subscribed by `pulumi up`.
package zohowatch

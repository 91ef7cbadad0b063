// SPDX-License-Identifier: EUPL-1.2
/**
 * Every text of the staff pages, in Dutch. A plain dictionary rather than an i18next namespace:
 * the locale test demands each namespace of locales/nl in every language, and staff work in Dutch.
 */

export const TEXTS = {
  appName: 'Hulpgesprek',
  staffArea: 'Medewerkers',
  skipLink: 'Naar de inhoud',
  navLabel: 'Hoofdmenu',
  nav: {
    queue: 'Wachtrij',
    reach: 'Bereik',
    invites: 'Uitnodigingen',
    together: 'Samen invullen',
    audit: 'Audit',
    handoff: 'Overdracht',
    logout: 'Uitloggen',
  },
  loggedInAs: 'Ingelogd als {{name}}',
  municipalitiesOf: 'Gemeenten: {{list}}',
  demoBanner: 'Demo: de tweede stap (verificatiecode) staat uit voor dit account. Gebruik het alleen met nepgegevens.',

  login: {
    title: 'Inloggen voor medewerkers',
    intro: 'Log in met je e-mailadres en wachtwoord.',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    submit: 'Inloggen',
    failed:
      'Inloggen lukt niet. Het e-mailadres of wachtwoord klopt niet, of het account is even geblokkeerd. Probeer het later opnieuw of vraag je beheerder om hulp.',
    formExpired: 'Het formulier was verlopen. Probeer het nog een keer.',
    loggedOut: 'Je bent uitgelogd.',
    sessionEnded: 'Je was een tijd niet actief en bent uitgelogd. Log opnieuw in.',
    demoNote: 'Demo: second factor is off for this account ({{email}}). Voor dit demo-account staat de tweede stap uit.',
  },
  secondStep: {
    title: 'Tweede stap: verificatiecode',
    intro: 'Open de authenticator-app op je telefoon en typ de code van 6 cijfers voor Hulpgesprek.',
    code: 'Code van 6 cijfers',
    submit: 'Controleren',
    failed: 'Deze code klopt niet of is al gebruikt. Wacht op de volgende code en probeer het opnieuw.',
    startOver: 'Opnieuw inloggen',
  },
  enrol: {
    title: 'Tweede stap instellen',
    intro:
      'Voordat je gegevens van inwoners ziet, stel je een tweede stap in. Scan de QR-code met een authenticator-app (bijvoorbeeld Microsoft Authenticator of FreeOTP).',
    qrLabel: 'QR-code om Hulpgesprek toe te voegen aan je authenticator-app',
    manual: 'Lukt scannen niet? Typ deze sleutel in de app:',
    code: 'Code van 6 cijfers uit de app',
    submit: 'Instellen',
    failed: 'Deze code klopt niet. Kijk of de tijd op je telefoon goed staat en probeer de volgende code.',
  },
  queue: {
    title: 'Wachtrij',
    intro: 'Open terugbelverzoeken, dringend eerst en daarna het oudste eerst.',
    empty: 'Er zijn geen open verzoeken. Goed gedaan.',
    caption: 'Open terugbelverzoeken ({{count}})',
    reference: 'Verzoek',
    urgent: 'Dringend',
    timeLeft: 'Tijd over',
    topic: 'Onderwerp',
    language: 'Taal',
    channel: 'Via',
    municipality: 'Gemeente',
    assignedTo: 'Toegewezen aan',
    status: 'Status',
    nobody: 'Niemand',
    you: 'Jij',
    urgentYes: 'Dringend',
    urgentNo: 'Nee',
  },
  timeLeft: {
    overdue: 'te laat',
    today: 'vandaag, tot {{time}}',
    todayEnd: 'vandaag',
    days_one: 'nog 1 werkdag',
    days_other: 'nog {{count}} werkdagen',
    deadline: 'belofte: {{when}}',
  },
  detail: {
    title: 'Verzoek {{reference}}',
    back: 'Terug naar de wachtrij',
    about: 'Over het verzoek',
    resident: 'Wat de inwoner koos',
    contact: 'Contact',
    received: 'Ontvangen',
    municipality: 'Gemeente',
    status: 'Status',
    assignedTo: 'Toegewezen aan',
    timeLeft: 'Tijd over',
    urgent: 'Dringend',
    channel: 'Binnengekomen via',
    residentLanguage: 'Taal van de inwoner op de site',
    topic: 'Onderwerp',
    checkin: 'Hoe gaat het',
    happened: 'Wat is er gebeurd',
    moreBills: 'Andere rekeningen',
    urgency: 'Dringende zaken',
    help: 'Wat helpt',
    moments: 'Beste momenten',
    ways: 'Liefste manier van contact',
    talkLanguage: 'Taal voor het gesprek',
    contactPrefs: 'Wat het contact makkelijker maakt',
    voicemail: 'Bericht inspreken of sms als de inwoner niet opneemt',
    voicemailPromise: 'Zeg in een bericht alleen dat de gemeente belde, nooit waar het over gaat.',
    firstName: 'Voornaam',
    phone: 'Telefoon',
    call: 'Bel {{phone}}',
    noAnswer: 'Niet ingevuld',
    noName: 'Geen naam gegeven',
    deleted: 'Telefoonnummer en naam zijn verwijderd op {{date}} (bewaartermijn voorbij).',
    outcome: 'Uitkomst',
    closedAt: 'Afgesloten',
    attempts: 'Contactpogingen',
    noAttempts: 'Nog geen contactpogingen.',
    attemptWhen: 'Wanneer',
    attemptWho: 'Door',
    attemptKind: 'Hoe',
    attemptResult: 'Resultaat',
    attemptNote: 'Notitie',
    actions: 'Acties',
    assign: 'Aan mij toewijzen',
    assignedToYou: 'Dit verzoek is aan jou toegewezen.',
    recordAttempt: 'Contactpoging vastleggen',
    kind: 'Hoe heb je contact gezocht?',
    result: 'Wat was het resultaat?',
    note: 'Notitie (kies uit de lijst, niet verplicht)',
    noNote: 'Geen notitie',
    saveAttempt: 'Poging opslaan',
    close: 'Afsluiten',
    closeOutcome: 'Uitkomst van het verzoek',
    closeSubmit: 'Verzoek afsluiten',
    closedNote: 'Dit verzoek is afgesloten.',
    done: {
      assigned: 'Het verzoek is aan jou toegewezen.',
      attempt: 'De contactpoging is opgeslagen.',
      closed: 'Het verzoek is afgesloten.',
    },
    errors: {
      closed: 'Dit verzoek is al afgesloten; er is niets veranderd.',
      invalid: 'Kies een geldige waarde in elk verplicht veld.',
    },
  },
  audit: {
    title: 'Audit',
    intro: 'Wie bekeek of veranderde wat, in jouw gemeenten. Tijden in Nederlandse tijd.',
    caption: 'Auditregels, pagina {{page}}',
    empty: 'Nog geen auditregels.',
    at: 'Tijd',
    actor: 'Wie',
    action: 'Actie',
    object: 'Object',
    municipality: 'Gemeente',
    result: 'Resultaat',
    origin: 'Herkomst',
    system: 'Systeem',
    previous: 'Nieuwere regels',
    next: 'Oudere regels',
    pages: 'Bladeren door de auditregels',
  },
  handoff: {
    title: 'Overdracht naar het zaaksysteem',
    intro:
      'Nieuwe terugbelverzoeken gaan automatisch naar het zaaksysteem van de gemeente, als er een koppeling is. Hier zie je wat niet lukte. Een verzoek blijft altijd ook in de wachtrij.',
    connectors: 'Koppelingen',
    connectorConfigured: '{{name}}: verzoeken gaan naar {{host}}.',
    connectorNone: '{{name}}: geen koppeling. Verzoeken blijven alleen in de wachtrij.',
    connectorSecretMissing:
      '{{name}}: de koppeling staat uit, want de geheime sleutel ({{env}}) ontbreekt op de server. Verzoeken blijven alleen in de wachtrij. Vraag de technisch beheerder om de sleutel in te stellen.',
    caption: 'Overdrachten die niet lukten ({{count}})',
    empty: 'Alle overdrachten zijn gelukt. Er is niets te doen.',
    reference: 'Verzoek',
    municipality: 'Gemeente',
    status: 'Status',
    attempts: 'Pogingen',
    lastError: 'Laatste fout',
    lastAttempt: 'Laatste poging',
    nextAttempt: 'Volgende poging',
    created: 'Ontvangen',
    action: 'Actie',
    retry: 'Opnieuw proberen',
    retryLabel: 'Opnieuw proberen: verzoek {{reference}}',
    noRetry: 'Kan niet opnieuw: de gegevens zijn al verwijderd (bewaartermijn).',
    none: 'Geen',
    statusLabel: { pending: 'Wacht op nieuwe poging', delivering: 'Wordt verstuurd', delivered: 'Overgedragen', failed: 'Mislukt' },
    done: 'De overdracht wordt nu opnieuw geprobeerd. Ververs de pagina over een minuut om te zien of het lukte.',
    errors: {
      notRetryable: 'Deze overdracht kan niet opnieuw: hij is al gelukt, wordt nu verstuurd, of de gegevens zijn verwijderd.',
    },
  },
  notFound: {
    title: 'Niet gevonden',
    body: 'Dit verzoek of deze pagina bestaat niet, of hoort niet bij jouw gemeenten.',
  },
  forbidden: {
    title: 'Geen toegang',
    body: 'Deze pagina is er alleen voor beheerders.',
    csrf: 'Het formulier was verlopen of kwam niet van deze site. Ga terug, laad de pagina opnieuw en probeer het nog een keer.',
  },
  labels: {
    status: { new: 'Nieuw', in_progress: 'In behandeling', closed: 'Afgesloten' },
    channel: { sms: 'Sms', 'letter-qr': 'Brief (QR-code)', web: 'Website', staff: 'Medewerker' },
    role: { caseworker: 'Medewerker', coordinator: 'Coördinator', admin: 'Beheerder' },
    kind: {
      phone: 'Gebeld',
      sms: 'Sms gestuurd',
      whatsapp: 'WhatsApp',
      home_visit: 'Huisbezoek',
      letter: 'Brief',
      email: 'E-mail',
      walk_in: 'Inloop',
    },
    result: {
      reached: 'Bereikt',
      not_reached: 'Niet bereikt',
      voicemail: 'Voicemail ingesproken',
      wrong_number: 'Verkeerd nummer',
    },
    outcome: {
      quick_fix: 'Snel opgelost',
      payment_arrangement: 'Betaalregeling afgesproken',
      referred_debt_help: 'Doorverwezen naar schuldhulp',
      referred_other_help: 'Doorverwezen naar andere hulp',
      no_help_wanted: 'Geen hulp gewenst',
      not_reached: 'Niet bereikt',
    },
    note: {
      call_back_later: 'Later terugbellen',
      other_moment_agreed: 'Ander moment afgesproken',
      interpreter_needed: 'Tolk nodig',
      asked_to_call_us: 'Inwoner belt zelf terug',
      visit_planned: 'Huisbezoek gepland',
    },
    action: {
      view: 'Bekeken',
      export: 'Geëxporteerd',
      assign: 'Toegewezen',
      attempt: 'Contactpoging',
      close: 'Afgesloten',
      login: 'Ingelogd',
      logout: 'Uitgelogd',
      enrol_totp: 'Tweede stap ingesteld',
      retention: 'Persoonsgegevens verwijderd',
      invite: 'Uitnodiging gemaakt',
      handoff: 'Overdracht aan zaaksysteem',
      retry_delivery: 'Overdracht opnieuw geprobeerd',
    },
    origin: { 'staff-ui': 'Medewerkersscherm', api: 'API', job: 'Taak' },
    yes: 'Ja',
    no: 'Nee',
  },
} as const;

/**
 * The text at `key` with `{{name}}` placeholders filled; `count` picks a `_one`/`_other` form.
 * Named `st`, not `t`: the locale test holds every `t('…')` in src to the resident locale files.
 */
export function st(key: string, vars: Record<string, string | number> = {}): string {
  const plural = typeof vars.count === 'number' ? `${key}_${vars.count === 1 ? 'one' : 'other'}` : undefined;
  const text = (plural !== undefined ? lookup(plural) : undefined) ?? lookup(key);
  if (text === undefined) throw new Error(`No staff text "${key}"`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? `{{${name}}}`));
}

/** The label of a code in one of the `labels` groups, or the code itself when there is none. */
export function label(group: keyof typeof TEXTS.labels, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  const found = lookup(`labels.${group}.${code}`);
  return found ?? code;
}

function lookup(key: string): string | undefined {
  let node: unknown = TEXTS;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * Demo newsroom content for Broadsheet: "The Harbour Ledger", an independent
 * local paper in the fictional coastal city of Port Alder, Kessick County.
 *
 * Everything here is fiction. Places, people, parties, countries and
 * organizations are invented; any resemblance to real ones is coincidental.
 * National and world coverage concerns an unnamed fictional country (capital:
 * Hallowmere) and invented foreign states (Esterra, Kaldmark, Tavrin).
 *
 * Inline markup in paragraphs: **bold**, _italic_, [text](https://example.org/...).
 * Image keys refer to themes in ./images.ts.
 */

export type DemoLabel = 'news' | 'analysis' | 'opinion' | 'review' | 'fact-check' | 'sponsored';

export type DemoBlock =
  | string
  | { h2: string }
  | { quote: string; cite?: string }
  | { pullQuote: string; attribution?: string }
  | { list: string[]; ordered?: boolean }
  | { embed: string };

export interface DemoAuthor {
  slug: string;
  name: string;
  title: string;
  bio: string;
  expertise: string[];
  social: { x?: string; mastodon?: string; bluesky?: string; website?: string };
  email: string;
}

export interface DemoSection {
  slug: string;
  name: string;
  description: string;
}

export interface DemoTag {
  slug: string;
  name: string;
  description?: string;
}

export interface DemoImage {
  key: string;
  alt: string;
  caption: string;
  credit: string;
}

export interface DemoArticle {
  slug: string;
  headline: string;
  dek: string;
  section: string;
  tags: string[];
  authors: string[];
  label: DemoLabel;
  dateline?: string;
  hoursAgo: number;
  updatedHoursAgo?: number;
  topRank?: number;
  breaking?: boolean;
  image?: DemoImage;
  corrections?: { kind: 'correction' | 'clarification' | 'update'; text: string; hoursAgo: number }[];
  body: DemoBlock[];
}

const ILLUSTRATION = 'Illustration: The Harbour Ledger';

export const demoSite: {
  name: string;
  tagline: string;
  description: string;
  language: 'en';
  timeZone: string;
  social: { facebook: string; x: string; mastodon?: string; bluesky?: string; instagram?: string };
  appLinks: { ios?: string; android?: string };
  policies: { corrections: string; ethics: string; ownership: string };
} = {
  name: 'The Harbour Ledger',
  tagline: 'Independent news for Port Alder and Kessick County',
  description:
    'The Harbour Ledger is a reader-supported, independent newsroom covering Port Alder, Kessick County and the national and world stories that shape life on the coast.',
  language: 'en',
  timeZone: 'America/Halifax',
  social: {
    facebook: 'https://www.facebook.com/harbourledger.example',
    x: 'https://x.com/harbourledger_demo',
    mastodon: 'https://mastodon.example/@harbourledger',
    bluesky: 'https://bsky.app/profile/harbourledger.example',
    instagram: 'https://www.instagram.com/harbourledger.example',
  },
  appLinks: {
    ios: 'https://apps.example.org/ios/harbour-ledger',
    android: 'https://apps.example.org/android/harbour-ledger',
  },
  policies: {
    corrections: 'corrections-policy',
    ethics: 'ethics-policy',
    ownership: 'ownership-and-funding',
  },
};

export const demoPages: { slug: string; title: string; body: DemoBlock[] }[] = [
  {
    slug: 'about',
    title: 'About The Harbour Ledger',
    body: [
      'The Harbour Ledger is an independent, nonprofit newsroom serving Port Alder and the communities of Kessick County. We were founded by a group of former newspaper reporters and longtime residents after the city lost its last daily paper, and we publish every day online and once a week in print.',
      'Our job is to tell people what their government is doing, how decisions about the harbour, schools, housing and transit are made, and who makes them. We also cover national and world events when they touch life on this stretch of coast, which is more often than you might expect.',
      { h2: 'What we cover' },
      {
        list: [
          'City Hall, the county commission and every public body that spends local money',
          'The working harbour, the businesses around it and the people employed there',
          'Schools, from the board room to the classroom',
          'Transit, ferries, climate and the weather that shapes daily life here',
          'Arts and culture, with reviews written by people who live in town',
        ],
      },
      'We are a small staff: six full-time journalists, two editors and a handful of freelance contributors. We cannot be everywhere, so we try to be useful where we are. If you know something we should look into, [send us a tip](https://example.org/harbour-ledger/tips). We read every message.',
      'Reader memberships provide most of our budget. There is no paywall on news that affects public safety, and there never will be.',
    ],
  },
  {
    slug: 'corrections-policy',
    title: 'Corrections policy',
    body: [
      'We work hard to get things right, and when we get something wrong we say so plainly. Errors of fact are corrected as soon as we confirm them, and a note describing the change is added to the bottom of the story with the time it was made. We do not quietly rewrite published work.',
      { h2: 'Kinds of notes' },
      {
        list: [
          '**Correction**: a factual error was published and has been fixed.',
          '**Clarification**: the facts were accurate, but the wording could have misled readers, so we have added context.',
          '**Update**: the story has changed since publication, for example in breaking news, and new information has been added.',
        ],
      },
      'Corrections to headlines, photo captions and social media posts are handled the same way. If a correction changes the central point of a story, an editor will also add a note at the top.',
      'To request a correction, email corrections@harbourledger.example or use the form on our contact page. Please tell us which story, what is wrong and, if you can, how you know. A senior editor reviews every request, usually within one working day.',
    ],
  },
  {
    slug: 'ethics-policy',
    title: 'Ethics policy',
    body: [
      'Our reporters and editors follow a written code of conduct. The short version: we seek the truth and report it, we minimize harm, we act independently, and we are accountable to our readers. The full code is reviewed every year by staff and by our community advisory panel.',
      { h2: 'Independence' },
      'Staff do not accept gifts, free travel or paid speaking engagements from people or organizations they cover. Journalists who cover politics do not donate to candidates or parties, sign petitions or take part in campaigns. Anyone with a personal connection to a story must tell an editor before reporting begins.',
      { h2: 'Sources and attribution' },
      'We name our sources whenever possible. We grant anonymity only when a source faces a real risk of harm, retaliation or job loss and the information cannot be obtained another way, and at least one editor must know the source\u2019s identity. We explain in the story why a source was not named.',
      { h2: 'Opinion and sponsored content' },
      'News reporting and opinion are kept separate. Opinion pieces are labelled, and the newsroom does not take direction from the opinion editor or from the board. Sponsored content is produced for advertisers by Ledger Partner Studio, a separate team that includes no newsroom staff. It is always labelled as sponsored, names the advertiser and is never written or edited by our journalists.',
    ],
  },
  {
    slug: 'ownership-and-funding',
    title: 'Ownership and funding',
    body: [
      'The Harbour Ledger is published by the Harbour Ledger Community Media Trust, a registered nonprofit organization. No individual or company owns the newsroom, and no single donor may provide more than 10 percent of our annual budget.',
      'In the most recent fiscal year, about 58 percent of our revenue came from reader memberships, 21 percent from foundation grants, 14 percent from local advertising and sponsorships, and 7 percent from events and other sources. We publish a full list of donors who give more than $1,000 a year.',
      'Donors and advertisers have no say over what we cover or how. When we report on an organization that supports us financially, we disclose that relationship in the story.',
      'The trust is governed by a seven-member volunteer board. Board members do not see stories before publication and cannot direct coverage. Our audited financial statements are available on request.',
    ],
  },
  {
    slug: 'contact',
    title: 'Contact us',
    body: [
      'Our newsroom is on the second floor of the old Chandlery Building, 14 Harbour Road, Port Alder. Visitors are welcome on weekdays between 10 a.m. and 4 p.m.; please call ahead if you want to meet a specific reporter.',
      {
        list: [
          'News tips: tips@harbourledger.example',
          'Corrections: corrections@harbourledger.example',
          'Letters and opinion submissions: opinion@harbourledger.example',
          'Memberships and delivery: members@harbourledger.example',
          'Advertising and sponsorship: advertising@harbourledger.example',
        ],
      },
      'For sensitive tips, ask for our secure contact options and we will explain how to reach us without leaving an email trail. We do not reveal confidential sources.',
    ],
  },
];

export const demoAuthors: DemoAuthor[] = [
  {
    slug: 'maren-okafor',
    name: 'Maren Okafor',
    title: 'City Hall Reporter',
    bio: 'Maren Okafor covers Port Alder City Hall, the Kessick County commission and local elections. She spent eight years at regional papers before joining the Ledger at its founding, and she has attended more budget hearings than she can count. She reads every footnote.',
    expertise: ['City council', 'Municipal budgets', 'Local elections', 'Housing policy'],
    social: { x: 'https://x.com/marenokafor_demo', bluesky: 'https://bsky.app/profile/marenokafor.example' },
    email: 'maren.okafor@harbourledger.example',
  },
  {
    slug: 'tobias-reyne',
    name: 'Tobias Reyne',
    title: 'Harbour and Business Reporter',
    bio: 'Tobias Reyne reports on the working waterfront, the Port Alder Harbour Authority and the businesses and workers that depend on them. He grew up in North Quay, worked two seasons on a trawler and still knows which dock lines hold.',
    expertise: ['Harbour', 'Shipping', 'Fisheries', 'Labour', 'Small business'],
    social: { mastodon: 'https://mastodon.example/@tobiasreyne', website: 'https://example.org/tobias-reyne' },
    email: 'tobias.reyne@harbourledger.example',
  },
  {
    slug: 'ines-calloway',
    name: 'Ines Calloway',
    title: 'Education Reporter',
    bio: 'Ines Calloway covers the Kessick County School Board, classrooms and young people across the county. A former high school chemistry teacher, she focuses on how budget decisions show up in the lives of students and staff.',
    expertise: ['Schools', 'Education budgets', 'Youth'],
    social: { x: 'https://x.com/inescalloway_demo', bluesky: 'https://bsky.app/profile/inescalloway.example' },
    email: 'ines.calloway@harbourledger.example',
  },
  {
    slug: 'priya-lindqvist',
    name: 'Priya Lindqvist',
    title: 'Transit and Climate Reporter',
    bio: 'Priya Lindqvist covers buses, ferries, roads and the changing climate along the Kessick coast. She rides every route she writes about and keeps a spreadsheet of ferry delays going back four years.',
    expertise: ['Transit', 'Ferries', 'Climate', 'Weather', 'Infrastructure'],
    social: { mastodon: 'https://mastodon.example/@priyalindqvist', bluesky: 'https://bsky.app/profile/priyalindqvist.example' },
    email: 'priya.lindqvist@harbourledger.example',
  },
  {
    slug: 'samuel-achterberg',
    name: 'Samuel Achterberg',
    title: 'National and World Editor',
    bio: 'Samuel Achterberg edits national and international coverage and writes about national politics and foreign affairs. He previously reported from Hallowmere for a wire service and was a correspondent in Merova for five years.',
    expertise: ['National politics', 'Elections', 'Foreign affairs', 'Trade'],
    social: { x: 'https://x.com/sachterberg_demo', website: 'https://example.org/samuel-achterberg' },
    email: 'samuel.achterberg@harbourledger.example',
  },
  {
    slug: 'ruth-danquah',
    name: 'Ruth Danquah',
    title: 'Culture Editor and Columnist',
    bio: 'Ruth Danquah writes about theatre, music, books and the civic life of Port Alder, and edits the opinion pages. Her column appears twice a week. Before journalism she ran a community arts space in Lowtown for a decade.',
    expertise: ['Theatre', 'Music', 'Arts', 'Opinion'],
    social: { bluesky: 'https://bsky.app/profile/ruthdanquah.example', website: 'https://example.org/ruth-danquah' },
    email: 'ruth.danquah@harbourledger.example',
  },
  // Not a journalist: the byline used for advertiser-paid content, which the
  // ethics policy says newsroom staff never write. Kept in demoAuthors so every
  // article's authors resolve, but it has no beat.
  {
    slug: 'ledger-partner-studio',
    name: 'Ledger Partner Studio',
    title: 'Sponsored content',
    bio: 'Ledger Partner Studio creates content on behalf of advertisers. It is separate from The Harbour Ledger newsroom, and no reporters or editors are involved in its work. Everything it produces is labelled as sponsored.',
    expertise: [],
    social: {},
    email: 'partners@harbourledger.example',
  },
];

export const demoSections: DemoSection[] = [
  { slug: 'local', name: 'Local', description: 'News from Port Alder and the towns of Kessick County.' },
  { slug: 'national', name: 'National', description: 'Stories from across the country, with an eye on what they mean for the coast.' },
  { slug: 'world', name: 'World', description: 'International news and the global forces that reach our harbour.' },
  { slug: 'politics', name: 'Politics', description: 'Elections, campaigns and the workings of government, from City Hall to Hallowmere.' },
  { slug: 'business', name: 'Business', description: 'The harbour economy, local employers, workers and the cost of living.' },
  { slug: 'opinion', name: 'Opinion', description: 'Columns, editorials and essays, clearly separated from our news reporting.' },
  { slug: 'culture', name: 'Culture', description: 'Theatre, music, museums, books and the people who make Port Alder interesting.' },
];

export const demoTags: DemoTag[] = [
  { slug: 'housing', name: 'Housing', description: 'Rents, development and the search for somewhere affordable to live.' },
  { slug: 'harbour', name: 'Harbour', description: 'The working waterfront, the Harbour Authority and the Pier 9 redevelopment.' },
  { slug: 'schools', name: 'Schools', description: 'Kessick County schools, the school board and education funding.' },
  { slug: 'transit', name: 'Transit', description: 'Buses, roads, bridges and how people get around.' },
  { slug: 'ferries', name: 'Ferries', description: 'Ferry service to Gull Island and across Kessick Sound.' },
  { slug: 'elections', name: 'Elections', description: 'Local and national elections, campaigns and ballot measures.' },
  { slug: 'climate', name: 'Climate', description: 'Climate change, adaptation and the environment on the coast.' },
  { slug: 'courts', name: 'Courts', description: 'Cases in Kessick County Superior Court and beyond.' },
  { slug: 'budget', name: 'Budget', description: 'How public money is raised and spent.' },
  { slug: 'city-council', name: 'City Council', description: 'Port Alder City Council votes, debates and decisions.' },
  { slug: 'public-safety', name: 'Public safety', description: 'Fires, emergencies, policing and the services that respond.' },
  { slug: 'weather', name: 'Weather', description: 'Storms, heat and forecasts for the Kessick coast.' },
  { slug: 'small-business', name: 'Small business', description: 'Independent shops, co-ops and local employers.' },
  { slug: 'labour', name: 'Labour', description: 'Workers, unions and the jobs that keep the coast running.' },
  { slug: 'arts', name: 'Arts', description: 'Theatre, music, galleries and festivals.' },
  { slug: 'history', name: 'History', description: 'The past of Port Alder and the people who lived it.' },
  { slug: 'fisheries', name: 'Fisheries', description: 'Fishing fleets, quotas and the seafood economy.' },
  { slug: 'parks', name: 'Parks and trails', description: 'Green space, trails and public land.' },
  { slug: 'libraries', name: 'Libraries', description: 'The Port Alder Public Library and its branches.' },
  { slug: 'economy', name: 'Economy', description: 'Interest rates, prices, trade and the wider economy.' },
  { slug: 'diplomacy', name: 'Diplomacy', description: 'Treaties, summits and relations between governments.' },
  { slug: 'media', name: 'Media', description: 'Journalism, polling and how news is made.' },
];

export const demoArticles: DemoArticle[] = [
  // ---------------------------------------------------------------- breaking
  {
    slug: 'fire-engulfs-netmakers-row-warehouse',
    headline: 'Fire engulfs vacant warehouse on Netmakers Row; Harbour Road closed',
    dek: 'Crews from three stations are fighting the blaze beside the Pier 9 site. No injuries have been reported, and people nearby are asked to keep windows closed.',
    section: 'local',
    tags: ['public-safety', 'harbour'],
    authors: ['tobias-reyne'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 0.7,
    updatedHoursAgo: 0.5,
    topRank: 1,
    breaking: true,
    image: {
      key: 'fire',
      alt: 'Illustration of a long warehouse with a saw-tooth roof burning at night, orange flames and grey smoke rising, a red fire engine aiming a ladder and hose at the building, firelight reflected in dark harbour water.',
      caption: 'The warehouse on Netmakers Row had been empty since 2019 and was slated for demolition under the Pier 9 plan.',
      credit: ILLUSTRATION,
    },
    corrections: [
      {
        kind: 'update',
        text: 'This story has been updated with comment from Port Alder Fire & Rescue, the extended closure of Harbour Road and air-quality guidance for people with respiratory conditions.',
        hoursAgo: 0.5,
      },
    ],
    body: [
      "A fire tore through a vacant two-storey warehouse on Netmakers Row this evening, sending a column of dark smoke over the North Quay waterfront and forcing police to close Harbour Road between Quarry Street and the ferry terminal. Flames broke through the roof within minutes of the first emergency call, according to people who watched from the Gull Island ferry queue.",
      "Port Alder Fire & Rescue said crews from three stations were on scene by 6:40 p.m. and had shifted to a defensive attack, meaning firefighters were working from outside the building to keep the fire from spreading to a neighbouring boat shed and a fuel depot about 60 metres away. No injuries have been reported.",
      { quote: "The building is a total loss. Our priority right now is the fuel depot and the sheds to the north, and so far we are holding that line.", cite: 'Deputy Chief Renata Vos, Port Alder Fire & Rescue' },
      "The cause of the fire is not yet known. Vos said the structure had no power connection and that investigators would examine the site once it was safe, which could take until tomorrow afternoon. She asked people not to speculate and to send any videos filmed before crews arrived to the department.",
      { h2: 'Road closures and air quality' },
      "Harbour Road will remain closed overnight, and police asked drivers heading to the ferry terminal to use Alder Avenue and the Ropewalk instead. Kessick Sound Ferries said the 8:15 p.m. sailing to Gull Island would leave from the temporary ramp at Pier 4.",
      "The county health office advised residents of North Quay and Lowtown to keep windows closed and to avoid outdoor exercise while smoke lingers. People with asthma or heart conditions should keep medication nearby, the office said, and anyone with chest pain or severe shortness of breath should seek emergency care.",
      { embed: 'https://bsky.app/profile/portalderfire.example/post/3kx7fire0001' },
      "The warehouse, once used to mend and store trawl nets, has been empty since 2019. It sits inside the footprint of the proposed Pier 9 redevelopment, which City Council advanced earlier today, and was scheduled for demolition next year. The Harbour Ledger will update this story as more information becomes available.",
    ],
  },

  // ---------------------------------------------------------------- harbour cluster
  {
    slug: 'council-advances-pier-9-redevelopment',
    headline: 'Council advances Pier 9 redevelopment after five-hour hearing',
    dek: 'A 5-2 vote sends the $310 million waterfront plan to final design, with new conditions on public access and the number of affordable homes.',
    section: 'local',
    tags: ['harbour', 'city-council', 'housing'],
    authors: ['maren-okafor', 'tobias-reyne'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 9,
    updatedHoursAgo: 0.6,
    topRank: 2,
    image: {
      key: 'harbour',
      alt: 'Illustration of a working harbour at dusk: orange gantry cranes over stacks of coloured shipping containers on a quay, a cargo ship on calm blue water and a low sun behind distant hills.',
      caption: 'The Pier 9 plan would replace aging sheds and a disused container yard north of the ferry terminal.',
      credit: ILLUSTRATION,
    },
    corrections: [
      { kind: 'update', text: 'This story has been updated to note a fire that destroyed a vacant warehouse inside the project footprint hours after the vote.', hoursAgo: 0.6 },
    ],
    body: [
      "Port Alder City Council voted 5-2 early this morning to move the Pier 9 redevelopment into final design, ending a hearing that began at 7 p.m. and drew more than 80 public speakers. The decision keeps alive the largest private investment proposed on the waterfront in a generation, though it attaches conditions the developer has not yet accepted.",
      "The plan from Northline Quay Partners would replace a disused container yard and a row of aging sheds with 640 homes, a public promenade, a fish market hall and a new berth for the Harbour Authority's pilot boats. The company puts the cost at $310 million, to be built in three phases over roughly eight years.",
      "Council members added two conditions before the vote. The first raises the share of below-market homes from 15 percent to 22 percent. The second requires a continuous public path along the water's edge, open around the clock, rather than the gated courtyard shown in earlier drawings.",
      { pullQuote: "We are not selling the waterfront. We are deciding who gets to stand on it.", attribution: 'Councillor Yasmin Oduya' },
      "Councillor Yasmin Oduya, who wrote the public-access amendment, said the changes answered the most common complaint from residents. Councillor Gerald Finch, one of the two votes against, said the city was rushing a deal whose financing had not been disclosed and whose traffic study relied on bus routes that may not survive next year's transit budget.",
      { h2: 'What happens next' },
      "Northline's chief executive, Callum Sorensen, said after the meeting that the company would review the new conditions with its lenders. He described the affordable-housing increase as “a serious ask” but did not say whether it would make the project unworkable. Final design documents are due back to council within 120 days.",
      "Fishing and shipping workers who spoke at the hearing were divided. Several said the new pilot-boat berth and market hall would help an industry that has lost dock space for years, while others worried that new residents would complain about noise, lights and the smell of a working port. The Harbour Authority has endorsed the plan.",
      "The vote came hours before a fire destroyed a vacant warehouse inside the project footprint on Netmakers Row. Officials said there was no indication the two events were connected. The building was one of several on the site that the Harbour Authority had long described as unsafe and beyond repair.",
    ],
  },
  {
    slug: 'pier-9-developer-names-financing-partners',
    headline: 'Pier 9 developer names its financing partners for the first time',
    dek: 'Northline Quay Partners says a pension fund and a regional bank will cover most of the first phase, answering a key question raised by councillors.',
    section: 'business',
    tags: ['harbour', 'housing', 'economy'],
    authors: ['tobias-reyne'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 50,
    updatedHoursAgo: 30,
    image: {
      key: 'harbour',
      alt: 'Illustration of container cranes and stacked shipping containers beside a quay, with a cargo ship moored in the foreground and seagulls in a peach-coloured sky.',
      caption: 'The first phase of the Pier 9 project would cover the southern third of the site, closest to the ferry terminal.',
      credit: ILLUSTRATION,
    },
    corrections: [
      {
        kind: 'clarification',
        text: 'An earlier version of this story said the Coastal Trades Pension Fund would “own” part of the project. The fund would hold an equity stake in the first phase only; the land would remain under a long-term lease from the Harbour Authority.',
        hoursAgo: 30,
      },
    ],
    body: [
      "The company behind the Pier 9 waterfront redevelopment has for the first time identified who would pay for it. In a letter to City Council, Northline Quay Partners said the Coastal Trades Pension Fund would take an equity stake in the project's first phase and that Kessick Mutual Bank had agreed in principle to lend up to $140 million for construction.",
      "The disclosure responds to months of questions from councillors, including Gerald Finch, who had said he would not support the plan without knowing where the money was coming from. Finch said the letter was a step forward but lacked the detail needed to judge the risk to the city if the project stalled partway through.",
      "Under the proposal, the land would remain owned by the Port Alder Harbour Authority and be leased to Northline for 99 years. The Authority would receive annual rent rising with inflation, plus a share of revenue from the market hall and commercial space along the promenade.",
      { list: ['First phase: 210 homes, the market hall and the pilot-boat berth, estimated at $118 million', 'Second phase: 250 homes and a public plaza', 'Third phase: 180 homes, offices and a boatyard for small repair firms'] },
      "The pension fund, which manages retirement savings for about 38,000 electricians, pipefitters and shipyard workers, confirmed its interest in a brief statement. A spokesperson said the investment committee had approved due diligence but not a final commitment, which would depend on the terms council sets in final design.",
      "Kessick Mutual Bank declined to comment on the size of any loan, citing client confidentiality. People familiar with the talks, who asked not to be named because the negotiations are private, said the bank wanted the city to guarantee the cost of a new sea wall before construction begins. City staff have estimated that wall at $22 million.",
      "Callum Sorensen, Northline's chief executive, said in an interview that bringing in a workers' pension fund showed the project was “built by and for people who work on this coast.” Critics note that the fund's members would benefit from returns on luxury units as much as from the affordable ones.",
    ],
  },
  {
    slug: 'what-pier-9-would-change-on-the-waterfront',
    headline: 'What the Pier 9 deal would actually change on the waterfront',
    dek: 'Strip away the renderings and the plan comes down to four trade-offs: land, housing, public access and who carries the risk.',
    section: 'business',
    tags: ['harbour', 'housing', 'budget'],
    authors: ['tobias-reyne'],
    label: 'analysis',
    hoursAgo: 30,
    image: {
      key: 'harbour',
      alt: 'Illustration of the Port Alder harbour at sunset with two orange gantry cranes, rows of red, teal and yellow containers, a docked ship and reflections of the sun on the water.',
      caption: 'The city and the Harbour Authority would keep ownership of the land under the current proposal.',
      credit: ILLUSTRATION,
    },
    body: [
      "The Pier 9 debate has been fought mostly with drawings: sunlit promenades on one side, looming towers on the other. With council expected to decide within days whether to send the plan to final design, this is a good moment to set the pictures aside and look at what the agreement would do to land, money and access on the working waterfront.",
      { h2: '1. The land stays public, mostly' },
      "The Harbour Authority would lease the site for 99 years rather than sell it. That matters because leases can carry conditions, from public access to limits on use, and because the land returns to public hands eventually. The catch is that a 99-year lease is long enough that most people alive today will never see it end.",
      { h2: '2. More homes, but not many cheap ones' },
      "Port Alder needs housing, and 640 units would be a meaningful addition in a city that approved fewer than 300 new homes last year. A proposed amendment would raise the below-market share to 22 percent, or about 140 units. Housing advocates point out that those units would be priced for households earning up to 80 percent of the area median, which still excludes many fish-plant and hospitality workers.",
      { pullQuote: "A 99-year lease is long enough that most people alive today will never see it end." },
      { h2: '3. Access to the water, on paper' },
      "The proposed promenade amendment is the most popular idea among residents. Enforcement is the open question. Similar paths elsewhere on the coast have quietly acquired gates, planters and “residents only” signs over time. The agreement as drafted gives the city inspection rights but no specific penalties, something councillors could still add.",
      { h2: '4. Who carries the risk' },
      "The least discussed issue may be the most important. The developer's lender wants the city to pay for a new sea wall before construction starts. If the project stalls after the wall is built, the city would have spent about $22 million protecting land that is earning little rent. Phasing rules that tie public spending to private milestones are common in deals like this one, and they are not yet in the draft.",
      "None of this means the plan is good or bad. It means the final-design stage, often treated as a formality, is where the most consequential decisions about Pier 9 will be made: how the lease is enforced, who pays for the sea wall and when, and what happens if the money runs short.",
    ],
  },
  {
    slug: 'the-harbour-belongs-to-those-who-work-it',
    headline: 'The harbour belongs to the people who work it',
    dek: 'Pier 9 can bring homes to the waterfront without pushing out the trades that made the waterfront worth living on.',
    section: 'opinion',
    tags: ['harbour', 'labour'],
    authors: ['ruth-danquah'],
    label: 'opinion',
    hoursAgo: 22,
    body: [
      "My grandfather mended nets in a shed that no longer exists, on a pier that now holds a parking lot for a hotel. He did not mind the hotel. He minded that nobody asked the people who worked there what the waterfront should become. Port Alder is about to make the same decision again, and this time we have the chance to ask.",
      "I am not against the Pier 9 redevelopment. A city with a rental vacancy rate below 2 percent cannot afford to turn away 640 homes. The amendments councillors have proposed, more below-market units and a promenade that stays open at night, would be real improvements that residents fought for at hearing after hearing.",
      "But housing is only half of what the waterfront does. The other half is work: the pilot boats, the ice plant, the repair yards, the small crews that land crab and hake in the early hours. Those businesses need noise, diesel, forklifts and floodlights, and they need neighbours who understand that a port is not a postcard.",
      { pullQuote: "A port is not a postcard. It is a workplace, and it should be protected like one." },
      "Other harbour cities have learned this the hard way. New residents arrive, complaints follow, and within a decade the city is fielding petitions to restrict early-morning deliveries. The industry that gave the neighbourhood its character is slowly regulated out of it.",
      "Council can prevent that. If the plan moves forward, final design should include a binding “working harbour” clause that every lease and every sale in the project carries: buyers acknowledge the port's hours and noise, and the city commits not to restrict marine operations on the basis of residential complaints. It costs nothing to write and would protect jobs for decades.",
      "The boatyard in phase three should also move to phase one. If the homes come first and the boatyard later, there will be pressure to swap it for something quieter. Build the workplaces first, and the homes will be built around them.",
      "The harbour has paid for this city for two centuries. Its wages built the houses on the hill, its taxes built the schools and its workers filled the pews and the union halls. It deserves a seat at the table when the city decides what to build on it.",
    ],
  },

  // ---------------------------------------------------------------- school budget cluster
  {
    slug: 'school-board-faces-4-million-shortfall',
    headline: 'School board faces $4.2 million shortfall as budget talks stall',
    dek: 'Falling enrolment, an expiring national grant and rising insurance costs leave Kessick County schools with hard choices before the spring deadline.',
    section: 'local',
    tags: ['schools', 'budget'],
    authors: ['ines-calloway'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 130,
    image: {
      key: 'school',
      alt: 'Illustration of a red-brick school building with rows of lit windows, a small clock above the entrance, a teal flag on a pole and children with colourful backpacks walking up the path.',
      caption: 'Kessick County schools enrol about 9,400 students, down from 10,600 a decade ago.',
      credit: ILLUSTRATION,
    },
    body: [
      "The Kessick County School Board is facing a $4.2 million gap in next year's $96 million operating budget, and a first round of talks about how to close it ended without agreement late last night. Trustees have until the end of next month to adopt a balanced budget, as required by law.",
      "Superintendent Miriam Adeyemi-Kerr told trustees that three forces were squeezing the district at once. Enrolment has fallen for six straight years, reducing per-student funding from the national education grant. A one-time building-maintenance grant expires in June. And the district's insurance premiums rose 31 percent after last winter's storm damage claims.",
      { list: ['Loss of one-time maintenance grant: $1.6 million', 'Lower enrolment funding: $1.3 million', 'Insurance premium increase: $0.8 million', 'Negotiated raises for support staff: $0.5 million'] },
      "District staff presented a menu of possible cuts rather than a single plan. Options included closing the Saltmarsh Heights annex, which houses 140 students in portable classrooms, consolidating four bus routes, reducing elementary music instruction from weekly to every other week, and leaving 14 vacant positions unfilled.",
      "Board chair Frank Oltmanns said every option on the list would hurt someone. “There is no version of this that is painless,” he said. “Our job is to make sure the pain lands where it does the least damage to learning.” He said the board would hold an extra public session before any vote.",
      "Trustee Anouk Delacroix asked staff to model a plan that draws more heavily on the district's reserve fund, which stands at about $7 million. Finance director Colm Rasmussen cautioned that the board's own policy requires keeping at least 5 percent of the budget in reserve, and that spending below that level could raise the district's borrowing costs.",
      "Parents who spoke during public comment focused on the music proposal and the annex. Several said families in Saltmarsh Heights had already been moved twice in five years and that the nearest alternative school was across the highway, a walk many parents consider unsafe for younger children.",
    ],
  },
  {
    slug: 'parents-pack-board-meeting-over-music-cuts',
    headline: 'Parents and students pack board meeting over proposed music cuts',
    dek: 'More than 300 people turned out as trustees weighed halving elementary music lessons to help close a budget gap.',
    section: 'local',
    tags: ['schools', 'budget', 'arts'],
    authors: ['ines-calloway'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 56,
    image: {
      key: 'school',
      alt: 'Illustration of a brick schoolhouse on a green hill with a clock above the doors, trees on either side and four small figures with bright backpacks on the front path.',
      caption: 'The board meeting moved to the Port Alder Secondary gymnasium after the boardroom filled.',
      credit: ILLUSTRATION,
    },
    body: [
      "More than 300 parents, students and teachers crowded into a Kessick County School Board meeting last night to oppose a proposal to cut elementary music lessons in half. The meeting was moved from the district boardroom to the Port Alder Secondary gymnasium shortly after it began, when the fire marshal said the original room was over capacity.",
      "The proposal would reduce music instruction in the county's 14 elementary schools from one lesson a week to one every other week, saving an estimated $640,000. It is one of several options district staff have offered to help close a $4.2 million shortfall in next year's budget.",
      "For almost three hours, speakers lined up at two microphones. Many brought instruments. A group of fifth-graders from Ferrymead Elementary played a short piece on recorders before their teacher read a statement on their behalf, drawing a standing ovation that board chair Frank Oltmanns allowed to run its course.",
      { embed: 'https://www.youtube.com/watch?v=kcsbDemo0412' },
      "Lena Marsh, a parent of two at Lowtown Elementary, said music was the only class in which her older son, who has dyslexia, felt he was ahead of his classmates. “You are not cutting a frill,” she told trustees. “You are cutting the hour of the week when some kids get to be good at school.”",
      { pullQuote: "You are cutting the hour of the week when some kids get to be good at school.", attribution: 'Lena Marsh, parent' },
      "Not everyone opposed the cut. Two speakers, including a retired principal, urged the board to protect classroom teaching positions and reading support first, arguing that music could be partly covered by after-school programs run with community partners. Their remarks were met with scattered boos that Oltmanns quickly stopped.",
      "Trustee Bernard Quist said he had received more than 500 emails about music in a week, more than on any other issue in his six years on the board. He said he understood the feeling in the room but warned that every dollar saved elsewhere would have to come from something that also mattered to families.",
      "The board took no vote. Staff were asked to return before the board's final budget session with two complete scenarios, one that preserves weekly music and one that does not, showing exactly what else would have to change in each case.",
    ],
  },
  {
    slug: 'school-board-passes-budget-in-4-3-vote',
    headline: 'School board passes budget in 4-3 vote, keeping weekly music but closing Saltmarsh annex',
    dek: 'Trustees draw $1.1 million from reserves and cut 14 positions to close the gap. Saltmarsh Heights families say they were asked to carry too much of it.',
    section: 'local',
    tags: ['schools', 'budget'],
    authors: ['ines-calloway'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 7,
    updatedHoursAgo: 5,
    topRank: 4,
    image: {
      key: 'school',
      alt: 'Illustration of a two-storey red-brick school with white-framed windows, a pediment with a round clock, a flagpole to the right and a pale path leading to double doors.',
      caption: 'The Saltmarsh Heights annex will close at the end of the school year under the budget trustees approved.',
      credit: ILLUSTRATION,
    },
    corrections: [
      {
        kind: 'correction',
        text: 'An earlier version of this story said the budget eliminates 14 teaching positions. It eliminates 14 positions in total, nine of which are teaching posts.',
        hoursAgo: 5,
      },
    ],
    body: [
      "The Kessick County School Board voted 4-3 shortly before midnight to approve a $96 million budget that keeps weekly music lessons in elementary schools but closes the Saltmarsh Heights annex and eliminates 14 positions, nine of them teaching posts. The vote ends a month-long fight over how to close a $4.2 million shortfall.",
      "The approved plan draws $1.1 million from the district's reserves, bringing the fund to just above the 5 percent floor set by board policy. It also merges four bus routes, delays the replacement of science equipment at two middle schools and leaves most of the eliminated positions vacant through retirements rather than layoffs.",
      { list: ['Weekly elementary music: kept', 'Saltmarsh Heights annex: closes in June; 140 students move to Ferrymead Elementary', 'Staffing: 14 positions cut, including nine teaching posts, mostly through attrition', 'Reserves: $1.1 million drawn down', 'Bus routes: four consolidated into two'] },
      "Trustee Anouk Delacroix, who pushed for the reserve drawdown, said the board had listened to the families who filled the gymnasium earlier this week. Trustee Bernard Quist, who voted against, said the district was spending its safety margin on a single year and would face the same gap next spring with less money in the bank.",
      { h2: 'Annex families feel left out' },
      "Parents from Saltmarsh Heights, a neighbourhood where more than a third of households rent and many parents work night shifts at the fish plants, said the music campaign had drowned out their concerns. The annex's 140 students will move to Ferrymead Elementary, a 25-minute walk that crosses the Coast Highway at an intersection without a signalled crossing.",
      { quote: "Everyone showed up for music, and I'm glad they did. But nobody showed up for us, and we're the ones whose kids now have to cross a highway.", cite: 'Dario Feliciano, Saltmarsh Heights parent' },
      "Superintendent Miriam Adeyemi-Kerr said the district would run a bus from Saltmarsh Heights to Ferrymead for at least the first year and would ask the city to install a signalled crossing. The city's transportation office said the request would be considered in next year's capital budget.",
      "Board chair Frank Oltmanns, who voted with the majority, called the result “a budget nobody loves that protects the things families told us matter most.” The budget now goes to the county for a routine review before the fiscal year begins.",
    ],
  },
  {
    slug: 'music-is-the-part-of-school-students-remember',
    headline: 'Music is the part of school students remember. Don’t cut it in half.',
    dek: 'The school board has a real budget problem. Halving elementary music would solve a small part of it at a large cost.',
    section: 'opinion',
    tags: ['schools', 'arts', 'budget'],
    authors: ['ruth-danquah'],
    label: 'opinion',
    hoursAgo: 32,
    body: [
      "Ask any adult what they remember from primary school and you will hear about a teacher, a field trip, a friend and, surprisingly often, a song. I still know all the words to a round about herring boats that Mrs. Tamsin taught us at Lowtown Elementary four decades ago. I cannot remember a single spelling test.",
      "That is not an argument against spelling tests. It is an argument for recognizing what the Kessick County School Board is proposing to trade away. Cutting weekly music lessons to every other week would save about $640,000 in a budget of $96 million. It would also halve the only regular arts instruction many children in this county receive.",
      "I do not envy the trustees. The $4.2 million gap is real, and it was not created by anyone in the boardroom. Enrolment is falling, a national grant is expiring and insurance costs have jumped. Every option on the table hurts someone, and the people defending each program are sincere.",
      { pullQuote: "A program that costs less than 1 percent of the budget is not where a serious deficit gets solved." },
      "But a program that costs less than 1 percent of the budget is not where a serious deficit gets solved. It is where a deficit gets symbolically addressed, at the expense of children who have no lobby beyond the parents who can take an evening off to speak at a meeting.",
      "There are alternatives. The district's reserve fund holds about $7 million. Drawing on it carefully for one year, while the board pushes the national government to fix a grant formula that punishes shrinking rural districts, is exactly what a reserve is for.",
      "Trustees should also hear from families who could not make it to the gym this week, particularly in Saltmarsh Heights, where the proposed annex closure would land hardest. Protecting music should not mean that another neighbourhood, with less time and fewer advocates, quietly pays the bill.",
      "Keep music weekly. Then make the harder case, in public, for where the rest of the money should come from, and invite the families who will bear those costs into the room before the decision is made rather than after. That is what a budget built on trust looks like.",
    ],
  },

  // ---------------------------------------------------------------- national election cluster
  {
    slug: 'final-debate-ellery-vance-baskett-cost-of-living',
    headline: 'Ellery-Vance and Baskett clash over rents and ferries in final debate before national vote',
    dek: 'With nine days to go and polls deadlocked, the prime minister and the opposition leader sparred over housing, coastal transport and who would raise taxes.',
    section: 'national',
    tags: ['elections', 'housing', 'ferries'],
    authors: ['samuel-achterberg'],
    label: 'news',
    dateline: 'HALLOWMERE',
    hoursAgo: 5,
    topRank: 3,
    image: {
      key: 'election',
      alt: 'Illustration of a white ballot paper with four checkboxes, one ticked in red, being dropped into the slot of a ballot box, against a teal background with diagonal stripes and scattered confetti shapes.',
      caption: 'Voters choose all 240 members of the National Assembly in nine days.',
      credit: ILLUSTRATION,
    },
    body: [
      "Prime Minister Conrad Ellery-Vance and opposition leader Oriane Baskett met for the last televised debate of the national election campaign tonight, trading sharp exchanges over rents, coastal ferries and taxes in a contest that polls suggest remains too close to call. Voters will choose all 240 members of the National Assembly in nine days.",
      "The election was triggered last month when Ellery-Vance's Covenant Alliance government lost a confidence vote on its budget by four votes, after two of its own members sided with the opposition over cuts to regional transport. The prime minister has campaigned on economic stability; Baskett's Meridian Party on housing and the cost of living.",
      "The sharpest moment came about 40 minutes in, when Baskett accused the government of letting rents rise faster than wages in every year of its term. Ellery-Vance replied that the Meridian housing plan would require borrowing “on a scale this country has never attempted in peacetime” and challenged Baskett to name a tax she would raise to pay for it.",
      { quote: "I will tell you exactly who pays: the people who own six homes, not the people who can't afford one.", cite: 'Oriane Baskett, Meridian Party leader' },
      { h2: 'Ferries become a national issue' },
      "Coastal transport, rarely a headline issue in national campaigns, took up nearly ten minutes. Ellery-Vance repeated his claim that his government had doubled support for ferry services. Baskett said crews were being laid off and sailings cut. A Harbour Ledger fact check published this week found the prime minister's claim misleading: funding rose, but by less than half, once a one-year emergency payment is set aside.",
      "Idris Fenwick, leader of the Coastal Greens, who was not invited to the debate because his party holds fewer than ten seats, held a rally outside the studio. The Greens could hold the balance of power if neither major party wins a majority, and both leaders declined repeated invitations to rule out a deal with Fenwick.",
      { pullQuote: "Both leaders declined repeated invitations to rule out a deal with the Coastal Greens." },
      "Analysts said neither leader appeared to land a decisive blow. Public polls released this week show the two main parties within two points of each other, well inside the margin of error. Advance voting opens in three days at polling stations across the country, including four in Port Alder.",
    ],
  },
  {
    slug: 'meridian-party-housing-plan-port-alder-stop',
    headline: 'Meridian Party brings housing pitch to Port Alder as coastal seats come into play',
    dek: 'Oriane Baskett promised 200,000 public and cooperative homes nationwide in a waterfront speech aimed at a seat her party has not won in 20 years.',
    section: 'politics',
    tags: ['elections', 'housing'],
    authors: ['samuel-achterberg', 'maren-okafor'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 40,
    image: {
      key: 'housing',
      alt: 'Illustration of a row of narrow, colourful houses with pitched roofs in front of a beige apartment block under construction, with a yellow tower crane against a pale blue sky.',
      caption: 'Meridian says its plan would prioritize cooperative and public housing in cities with low vacancy rates.',
      credit: ILLUSTRATION,
    },
    body: [
      "Oriane Baskett, leader of the opposition Meridian Party, brought her national housing pitch to the Port Alder waterfront yesterday, promising a crowd of about 600 people that a Meridian government would build or finance 200,000 public and cooperative homes over eight years. The stop was her first visit to the Kessick Coast seat during the campaign.",
      "The seat has been held by the governing Covenant Alliance for two decades, most recently by Desmond Ivery, who won by about 3,100 votes last time. Meridian strategists have added it to a list of coastal seats they believe are winnable because of anger over rents and ferry cuts.",
      "Standing in front of the shuttered net sheds on Netmakers Row, Baskett said the country had “outsourced housing to the market and the market has sent us the bill.” She promised a national housing agency that would lend at cost to cities, nonprofits and co-ops, and a rule requiring a quarter of homes on publicly owned land to be below market.",
      { list: ['200,000 public and cooperative homes over eight years', 'A national housing agency lending at cost to cities and nonprofits', '25 percent below-market homes on all publicly owned land', 'A cap on annual rent increases tied to inflation'] },
      "The Covenant Alliance said the plan would cost at least $60 billion and called it unaffordable. Ivery, speaking at a candidates' breakfast on the other side of town, said his government had already invested in coastal housing and transport. “We don't need a new bureaucracy in Hallowmere telling Port Alder how to build,” he said.",
      "Several people in the crowd said they were more interested in the rent cap than in the construction targets. Marguerite Osei, a care worker who rents a one-bedroom apartment in Ferrymead, said her rent had gone up by a fifth in two years. “I don't need a promise about 2035,” she said. “I need to stay in my apartment next year.”",
      "Meridian's local candidate, Noor Castellane, a former harbour pilot, said the party's promises on ferry funding would matter as much as housing in the Kessick Coast seat. The Coastal Greens candidate, Beatrix Oyelaran, dismissed the rally as a “photo opportunity on a dock the Meridian Party never noticed until it needed votes.”",
    ],
  },
  {
    slug: 'five-seats-that-will-decide-the-national-election',
    headline: 'Five seats that will decide the national election',
    dek: 'A handful of coastal and commuter constituencies, including Kessick Coast, will likely determine whether anyone wins a majority.',
    section: 'politics',
    tags: ['elections'],
    authors: ['samuel-achterberg'],
    label: 'analysis',
    hoursAgo: 70,
    image: {
      key: 'election',
      alt: 'Illustration of a ballot paper with a red check mark above a pale ballot box with a dark slot, set against bold diagonal bands of teal, ochre and cream.',
      caption: 'A party needs 121 of 240 seats in the National Assembly to govern alone.',
      credit: ILLUSTRATION,
    },
    body: [
      "National polls show the Covenant Alliance and the Meridian Party roughly tied, but elections are not won nationally. They are won seat by seat, and most of the Assembly's 240 seats are safe for one party or the other. The outcome will turn on a few dozen competitive constituencies, and on five in particular that each capture a different part of the story.",
      "To form a majority government, a party needs 121 seats. The Covenant Alliance won 118 last time and governed with the support of a small regional party; Meridian won 104. A swing of two to three points in the right places would be enough to change the government.",
      { list: ['**Kessick Coast**: a Covenant seat for 20 years where ferry cuts and rents have made Meridian competitive', '**Hallowmere East**: a commuter seat that swung to Covenant last time on tax policy', '**Varrow Lakes**: a farming seat where the Coastal Greens are polling unusually well', '**Tennick Cross**: a fast-growing suburban seat with the country\'s youngest electorate', '**Merrin Point**: a shipbuilding town where the local economy has shifted sharply'], ordered: true },
      { h2: 'What the five have in common' },
      "Each of these seats has seen rents rise faster than the national average, and in each the incumbent party's share of the vote fell in last year's local elections. None is a bellwether in the traditional sense. Together they show the pressures both major parties are trying to manage: housing costs, aging infrastructure and a sense in smaller cities that decisions are made elsewhere.",
      "Kessick Coast is perhaps the hardest to read. Desmond Ivery, the Covenant incumbent, is personally popular and has a long record of constituency work. But the Gull Island ferry cuts and the Pier 9 fight have made transport and waterfront development unusually salient, and Meridian's candidate, a former harbour pilot, is well known on the docks.",
      { pullQuote: "None is a bellwether in the traditional sense. Together they show the pressures both parties are trying to manage." },
      "Varrow Lakes is the seat to watch for the Coastal Greens. If Idris Fenwick's party wins it alongside its existing seats, it could hold the balance of power in a hung Assembly. Both main parties have spent heavily there in the final weeks, a sign their internal numbers show the Greens as a real threat.",
      "One caution: seat-level polling in this country is sparse and often unreliable. The analysis here draws on past results, local election swings and public national polls, and it describes where the election is likely to be decided, not who will win it.",
    ],
  },
  {
    slug: 'fact-check-did-ferry-subsidies-double',
    headline: 'Fact check: Did ferry subsidies really double under the Covenant government?',
    dek: 'The prime minister and the local Covenant candidate both say so. The numbers show a real increase, but nothing like a doubling.',
    section: 'politics',
    tags: ['ferries', 'elections', 'budget'],
    authors: ['priya-lindqvist'],
    label: 'fact-check',
    hoursAgo: 34,
    image: {
      key: 'ferry',
      alt: 'Illustration of a white passenger ferry with a red funnel and rows of dark windows crossing blue water, leaving a pale wake, with green hills and a few gulls in the background.',
      caption: 'The national Coastal Ferry Support Fund subsidizes routes that serve islands without road links.',
      credit: ILLUSTRATION,
    },
    body: [
      "**The claim:** “We doubled ferry subsidies for coastal communities.” Desmond Ivery, the Covenant Alliance member for Kessick Coast, made the claim at a candidates' forum in Port Alder, and Prime Minister Conrad Ellery-Vance has repeated versions of it on the campaign trail.",
      "**The verdict:** Misleading. National funding for coastal ferries did rise during the government's term, but by about 41 percent before inflation and about 22 percent after it. The only year in which support was double the starting level included a one-time emergency payment after the winter storms, which has since ended.",
      { h2: 'What the budget documents show' },
      "The main source of national ferry money is the Coastal Ferry Support Fund, which subsidizes routes to islands and peninsulas without road links. We reviewed the fund's allocations in the last five national budgets and the government's own spending reports, which are published each autumn.",
      { list: ['Year the government took office: $212 million', 'Second year: $228 million', 'Third year: $430 million, including a $180 million storm emergency payment', 'Fourth year: $276 million', 'Current year: $298 million'] },
      "Measured from the year the government took office to this year, the fund grew by $86 million, or about 41 percent. Adjusted for inflation using the national statistics office's consumer price index, the real increase is about 22 percent. That is a meaningful rise, and larger than the increase under the previous government, but it is not a doubling.",
      { h2: 'Where the “doubled” figure comes from' },
      "Asked for the source of the claim, Ivery's campaign pointed to the third year, when total ferry spending reached $430 million, about twice the starting figure. That year included a one-time payment to repair storm-damaged terminals and keep operators solvent. The payment was not renewed, and the fund's regular budget has been lower every year since.",
      "The campaign also noted that the government extended the fund to cover two new routes, one in the far north and one serving the Varrow Lakes islands. That is accurate, and it partly explains the growth. It does not make the doubling claim accurate, because the new routes account for only about $14 million a year.",
      "Locally, the picture is tighter still. Kessick Sound Ferries says its national subsidy rose about 15 percent over the period while fuel and crew costs rose faster, one reason it cited when cutting Gull Island sailings. Claims that ferry support was cut are also inaccurate; it grew, just not by nearly as much as the government says.",
    ],
  },
  {
    slug: 'why-we-wont-publish-unweighted-polls',
    headline: 'Why we won’t publish unweighted online polls this campaign',
    dek: 'A note from the national editor on how The Harbour Ledger will report on polling between now and election day.',
    section: 'opinion',
    tags: ['media', 'elections'],
    authors: ['samuel-achterberg'],
    label: 'opinion',
    hoursAgo: 90,
    image: {
      key: 'newsroom',
      alt: 'Illustration of a newsroom with four desks under pendant lamps, blue computer screens showing abstract lines of text, people seated at the desks and tall windows looking out on city buildings.',
      caption: 'Our editors review every poll before it is cited in our coverage.',
      credit: ILLUSTRATION,
    },
    body: [
      "Every election, our inbox fills with polls. Some come from established research firms with transparent methods. Others come from campaigns, advocacy groups or websites that let anyone click a button as often as they like. Readers deserve to know which is which, so here is how we will handle polling during this campaign.",
      "We will report on polls only when we know who paid for them, who conducted them, how many people were surveyed, how respondents were selected, when the survey was in the field and what the margin of error is. If a pollster will not tell us those things, we will not cite the results.",
      "We will not publish results from online “polls” that anyone can enter, including the ones that appear on our own website from time to time. Those are entertainment, not measurement. They tell you who was motivated to click, not what the country thinks.",
      { pullQuote: "A single poll is a snapshot with a blurry lens. A trend across several good polls is closer to a picture." },
      "We will be cautious about reporting any single poll as news. A change of two points in one survey is usually noise. When we write about the state of the race, we will lean on averages of reputable polls and explain what they can and cannot tell you.",
      "We will be especially careful with polls of individual constituencies, including Kessick Coast. Local samples are small and local polling has a patchy record in this country. When we do cite a seat poll, we will say how many people were interviewed and how uncertain the result is.",
      "Finally, we will keep reporting on what the candidates say and do, what they have promised and whether their claims hold up. Polls tell you who might win. They don't tell you what the winner will do, and that is the question that matters most after election day.",
      "We know these rules mean we will sometimes be slower than other outlets to report a surprising number. We think that is a fair price for accuracy. If you see us fall short of these standards, please tell us at corrections@harbourledger.example, and we will explain our reasoning or fix the mistake.",
    ],
  },

  // ---------------------------------------------------------------- transit / ferry cluster
  {
    slug: 'gull-island-ferry-cut-to-four-sailings',
    headline: 'Gull Island ferry to be cut to four sailings a day as crew shortage deepens',
    dek: 'Islanders say the reduced schedule, starting next month, will make it harder to get to work, school and medical appointments on the mainland.',
    section: 'local',
    tags: ['ferries', 'transit', 'labour'],
    authors: ['priya-lindqvist'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 11,
    topRank: 5,
    image: {
      key: 'ferry',
      alt: 'Illustration of a large white car ferry with a navy hull stripe and red funnel sailing across choppy blue water toward green hills, with gulls overhead and a wide white wake behind.',
      caption: 'The Gull Island route carries about 310,000 passengers a year.',
      credit: ILLUSTRATION,
    },
    body: [
      "Kessick Sound Ferries will cut service between Port Alder and Gull Island from seven round trips a day to four starting next month, the company said today, blaming a shortage of licensed mates and marine engineers. The reduced schedule is expected to last at least until the autumn, when a new class of trainees finishes certification.",
      "The company said it had been cancelling an average of nine sailings a week since the start of the year because it could not legally crew the vessel. A predictable reduced schedule, it argued, was better for passengers than last-minute cancellations that left people stranded on the dock.",
      { quote: "We would rather run four sailings people can count on than seven that might not happen. That is not the service we want to offer, and we know what it costs islanders.", cite: 'Gwen Talbot-Mori, operations director, Kessick Sound Ferries' },
      "About 1,900 people live on Gull Island year-round. Many commute to jobs in Port Alder, and 64 secondary students cross each school day to attend Port Alder Secondary. Under the new schedule, the first sailing leaves the island at 6:50 a.m. and the last returns from the mainland at 6:15 p.m., more than two hours earlier than now.",
      { list: ['Depart Gull Island: 6:50 a.m., 10:30 a.m., 2:10 p.m., 5:00 p.m.', 'Depart Port Alder: 8:00 a.m., 11:45 a.m., 3:30 p.m., 6:15 p.m.', 'Friday and Saturday: an extra 9:30 p.m. return sailing from Port Alder'] },
      "Ewan Petrakis, who chairs the Gull Island community council, said residents who work evening shifts in the hospital, restaurants and fish plants would be forced to choose between their jobs and getting home. He said the council would ask the county to fund a water taxi for late-evening crossings.",
      "The crew shortage is not unique to Kessick Sound. Operators along the coast have struggled to recruit and keep licensed officers, who can often earn more in offshore supply and cargo shipping. The union representing ferry crews says wages on the route have not kept pace with those jobs and that overtime demands are driving experienced staff away.",
      "The cut comes as the company waits for a new electric ferry, delayed until at least spring by a dispute with its battery supplier, and as coastal ferry funding has become an issue in the national election campaign. Kessick Sound Ferries will hold a public meeting on the island next week.",
    ],
  },
  {
    slug: 'kessick-transit-proposes-fare-free-buses-under-18',
    headline: 'Kessick Transit proposes fare-free buses for riders under 18',
    dek: 'The two-year pilot would cost about $1.9 million a year and be paid for largely by downtown parking revenue.',
    section: 'local',
    tags: ['transit', 'schools', 'budget'],
    authors: ['priya-lindqvist'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 150,
    image: {
      key: 'bus',
      alt: 'Illustration of a teal city bus with a yellow stripe driving past a row of colourful apartment buildings, with a person in a yellow coat waiting at a glass bus shelter.',
      caption: 'Riders under 18 currently pay a reduced fare of $1.25.',
      credit: ILLUSTRATION,
    },
    body: [
      "Kessick Transit wants to let everyone under 18 ride its buses for free under a two-year pilot that general manager Owen Takahashi-Bright presented to the transit board last night. If approved, the program would start at the beginning of the next school year and cover all 22 of the agency's routes.",
      "The agency estimates the pilot would cost about $1.9 million a year in lost fares and extra service. Takahashi-Bright proposed covering most of that with revenue from the city's new downtown parking meters, which are expected to bring in about $1.4 million annually, and the rest from the agency's operating reserve.",
      "Young riders make up about 12 percent of Kessick Transit's boardings. Staff expect that share to roughly double if fares are removed, based on results from other cities that have tried similar programs. The agency would add buses on three routes that serve secondary schools to handle the extra demand at peak times.",
      { h2: 'A link to the school budget' },
      "The proposal arrives as the Kessick County School Board weighs consolidating yellow-bus routes to save money. Takahashi-Bright said the two agencies had discussed whether free public transit could make up for some of those cuts for older students, although he stressed that the transit plan was not designed as a replacement for school buses.",
      { pullQuote: "A 15-year-old who learns to ride the bus is a 35-year-old who knows the bus is an option.", attribution: 'Owen Takahashi-Bright, Kessick Transit' },
      "Board member Priscilla Amadi questioned whether parking revenue was stable enough to fund an ongoing program. She noted that the meters had been in place for only four months and that several downtown businesses have lobbied the city to reduce rates. Staff said the pilot would include a review after the first year.",
      "The board will hold a public hearing on the proposal next month before a final vote. Students from Port Alder Secondary's environmental club, who first suggested the idea in a petition last spring that gathered more than 2,000 signatures, said they would be there to speak in favour.",
    ],
  },
  {
    slug: 'electric-ferry-delayed-battery-dispute',
    headline: 'New electric ferry delayed until spring after battery supplier dispute',
    dek: 'The Alder Wren was due to enter service this summer. Its builder and battery maker disagree over who is responsible for failed safety tests.',
    section: 'business',
    tags: ['ferries', 'climate', 'economy'],
    authors: ['priya-lindqvist', 'tobias-reyne'],
    label: 'news',
    dateline: 'MERRIN POINT',
    hoursAgo: 200,
    image: {
      key: 'ferry',
      alt: 'Illustration of a white ferry with a teal waterline stripe and a single red funnel crossing open water under a pale sky with soft clouds and distant green hills.',
      caption: 'The Alder Wren would be the first battery-electric vessel in the Kessick Sound fleet.',
      credit: ILLUSTRATION,
    },
    body: [
      "The battery-electric ferry meant to replace the oldest vessel on the Gull Island route will not enter service until next spring at the earliest, after a dispute between the shipyard building it and the company supplying its batteries, Kessick Sound Ferries said. The vessel, named the Alder Wren, had been scheduled to begin carrying passengers this summer.",
      "The $48 million ferry is being built at the Holloway Marine yard in Merrin Point, about 200 kilometres up the coast. In a statement, the yard said two of the vessel's eight battery modules had failed thermal safety tests in the spring and that the supplier, Kestrel Cell Systems, had not yet provided replacements that met the agreed specification.",
      "Kestrel Cell Systems disputes that account. A company spokesperson said the modules had passed factory testing and that the failures were caused by a cooling system installed by the shipyard. The two companies have hired independent engineers to examine the modules, and the shipyard says it cannot finish the vessel until the question is settled.",
      { quote: "We are caught in the middle of a disagreement between two contractors. Our priority is a vessel that is safe, and we will not accept one that isn't.", cite: 'Kessick Sound Ferries statement' },
      "The delay means the ferry company will have to keep running the MV Saltmarsh, a diesel vessel built in 1987, for at least another winter. Maintenance costs for the Saltmarsh rose 40 percent over the past three years, according to the company's annual report, and it spent 26 days out of service last year.",
      "About $19 million of the Alder Wren's cost is covered by a national clean-transport grant. The grant agreement requires the vessel to be in service by the end of next year. A spokesperson for the national transport ministry said the deadline could be extended if the delay was beyond the operator's control.",
      "Environmental groups had hailed the ferry as a model for smaller coastal routes, where short crossings make battery power practical. The Alder Wren is designed to recharge at the dock in Port Alder in about 12 minutes and is expected to cut the route's fuel emissions by more than 80 percent once it is running.",
    ],
  },
  {
    slug: 'quarry-street-swing-bridge-closes-for-repairs',
    headline: 'Quarry Street swing bridge to close for three weeks of repairs',
    dek: 'Drivers and cyclists will be detoured via the Coast Highway while crews replace worn gears in the 1930s span.',
    section: 'local',
    tags: ['transit'],
    authors: ['priya-lindqvist'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 300,
    image: {
      key: 'bridge',
      alt: 'Illustration of a grey-green suspension bridge over a calm inlet at sunset, with yellow road barriers at the near end of the deck and the sun setting behind it.',
      caption: 'The Quarry Street bridge carries about 14,000 vehicles on a typical weekday.',
      credit: ILLUSTRATION,
    },
    body: [
      "The Quarry Street swing bridge over the Alder Creek inlet will close to all traffic for three weeks starting next month so that crews can replace the worn gears that rotate the span, the city's public works department said. Pedestrians will be able to cross on a temporary walkway except during two overnight closures.",
      "Drivers will be detoured along the Coast Highway, adding between five and 12 minutes to trips between Old Town and Ferrymead at rush hour. Kessick Transit will reroute the 4 and 11 bus lines and has warned riders to expect delays, particularly in the morning when school traffic peaks.",
      "The bridge, built in 1934, opens about 20 times a week for fishing boats and sailboats heading to the upper inlet. Public works director Mirela Santangelo said an inspection last autumn found the main gear teeth were wearing unevenly and that waiting another year risked an unplanned closure that could last months.",
    ],
  },

  // ---------------------------------------------------------------- weather cluster
  {
    slug: 'heat-advisory-extended-hottest-week',
    headline: 'Heat advisory extended as Port Alder records its hottest week since 1998',
    dek: 'Cooling centres will stay open late through the weekend. Health officials urge people to check on older neighbours.',
    section: 'local',
    tags: ['weather', 'climate', 'public-safety'],
    authors: ['priya-lindqvist'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 420,
    image: {
      key: 'heatwave',
      alt: 'Illustration of a huge pale sun glowing over a city skyline of terracotta buildings, with wavy lines of heat shimmer in an orange sky and a teal beach umbrella in the foreground.',
      caption: 'Daytime highs have topped 33 degrees for six straight days.',
      credit: ILLUSTRATION,
    },
    body: [
      "The national weather service extended its heat advisory for Kessick County through the weekend after Port Alder logged its hottest seven-day stretch since 1998. Daytime highs have topped 33 degrees for six consecutive days, and overnight temperatures have stayed above 21 degrees, giving homes without air conditioning little chance to cool down.",
      "County health officials said emergency departments had treated 47 people for heat-related illness since the start of the heat wave, most of them over 65 or working outdoors. Two people were admitted to intensive care. No deaths had been reported, officials said.",
      { h2: 'Where to cool off' },
      { list: ['Port Alder Public Library, main branch: open until 10 p.m.', 'Eastgate Community Centre: open until 10 p.m., pets welcome on the patio', 'Ferrymead Seniors\u2019 Hall: open until 9 p.m., with free bottled water', 'Harbour Road Recreation Centre pool: free swim sessions every afternoon'] },
      "Dr. Amaka Sørlie, the county's medical officer of health, urged residents to check on older neighbours and people living alone at least twice a day. She said early warning signs of heat illness included headache, dizziness, nausea and unusual confusion, and that anyone who stopped sweating or became disoriented needed emergency care.",
      "The heat has also strained the harbour. The Saltwater Cooperative Cannery shifted to night shifts to keep its processing floor below safe working temperatures, and the Harbour Authority said water temperatures in the inner basin had reached levels that could trigger algae blooms. Shellfish harvesting in two areas of Kessick Sound has been suspended as a precaution.",
      { pullQuote: "What used to be a once-in-a-generation week is becoming something we should plan for every summer.", attribution: 'Dr. Amaka Sørlie, medical officer of health' },
      "Climate researchers at the Kessick Coast Marine Institute say the region's summers have warmed by about 1.4 degrees over the past half century, and that heat waves of this length have become roughly three times more frequent. The city's draft climate adaptation plan, released last year, calls for more shade trees and public cooling spaces in the densest neighbourhoods.",
      "Forecasters expect a cooler marine air mass to arrive early next week, bringing highs back to the low 20s along with a chance of thunderstorms. Until then, officials recommend avoiding strenuous activity between 11 a.m. and 5 p.m. and never leaving children or pets in parked cars, even briefly.",
    ],
  },
  {
    slug: 'storm-cleanup-thousands-without-power',
    headline: 'Storm cleanup continues as 2,300 homes remain without power',
    dek: 'Winds gusting to 110 km/h toppled trees and power poles across Kessick County. Crews say some rural customers may wait until the weekend.',
    section: 'local',
    tags: ['weather', 'climate', 'public-safety'],
    authors: ['priya-lindqvist', 'maren-okafor'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 610,
    image: {
      key: 'storm',
      alt: 'Illustration of a red-and-white lighthouse on dark rocks shining a beam across a stormy sea, with heavy grey clouds, slanting rain and a bolt of lightning over breaking waves.',
      caption: 'The storm brought the strongest winds recorded at the Kessick Head weather station in nine years.',
      credit: ILLUSTRATION,
    },
    body: [
      "Crews worked through the night to restore electricity across Kessick County after a fast-moving storm brought gusts of up to 110 kilometres an hour, toppling trees and snapping power poles. At the peak of the outage, about 19,000 customers were in the dark. By this afternoon, that number had fallen to about 2,300, most of them in rural areas north of the city.",
      "Coast Electric said damage was concentrated along the Alder Creek valley and on Gull Island, where a falling tree brought down the line that feeds the island's water treatment plant. The plant ran on backup generators overnight, and the island remains under a precautionary boil-water notice.",
      { embed: 'https://bsky.app/profile/coastelectric.example/post/3kw2storm0042' },
      "The utility said most remaining customers should be reconnected by tomorrow night, but warned that some homes on long rural lines might not have power until the weekend. Crews from two neighbouring utilities have arrived to help, bringing the number of line workers in the field to about 140.",
      { h2: 'Damage on the waterfront' },
      "In Port Alder, the storm pushed water over the sea wall at North Quay during the overnight high tide, flooding parts of Harbour Road and the ground floors of several sheds on Netmakers Row. Two fishing boats broke free of their moorings in the inner basin; both were recovered with minor damage, according to the Harbour Authority.",
      "Port Alder Fire & Rescue responded to more than 60 calls during the storm, including a small fire caused by a downed line in Eastgate that was quickly extinguished. No serious injuries were reported. Mayor Anneke Solberg thanked emergency crews and said the city would open a debris drop-off site at the public works yard.",
      "The storm has renewed questions about the condition of the North Quay sea wall, which engineers flagged as at risk in a report two years ago. The cost of replacing it has become a central issue in negotiations over the Pier 9 redevelopment, and councillors said the flooding would be on the agenda at their next meeting.",
    ],
  },

  // ---------------------------------------------------------------- other local & politics
  {
    slug: 'harbour-street-night-market-returns',
    headline: 'Harbour Street night market returns with 60 vendors and a new food-truck row',
    dek: 'The summer market opens Friday evening and runs weekly through September.',
    section: 'local',
    tags: ['small-business', 'harbour'],
    authors: ['ruth-danquah'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 14,
    image: {
      key: 'market',
      alt: 'Illustration of an evening street market with striped awnings in red, teal, yellow and purple over wooden stalls piled with fruit, strings of glowing lights overhead and silhouetted shoppers.',
      caption: 'The night market drew an estimated 4,000 visitors a week last summer.',
      credit: ILLUSTRATION,
    },
    body: [
      "The Harbour Street night market returns this Friday for its ninth season, with about 60 vendors selling produce, crafts and prepared food along two blocks closed to traffic between the ferry terminal and the Chandlery Building. Organizers say more than a third of this year's stallholders are new, including a dozen from Gull Island.",
      "The biggest change is a food-truck row on the Pier 4 apron, added after complaints last year about long lines and crowded sidewalks. The Downtown Business Association, which runs the market, has also arranged for Kessick Transit to add late buses on the 2 and 7 routes until 11 p.m. on market nights.",
      "The market runs from 5 p.m. to 10 p.m. every Friday through September. Organizers ask visitors to bring their own bags and containers; vendors are no longer allowed to hand out single-use plastic cutlery under a city bylaw that took effect this spring.",
    ],
  },
  {
    slug: 'kitchen-fire-damages-bluewater-diner',
    headline: 'Kitchen fire damages Bluewater Diner in Eastgate; no one hurt',
    dek: 'The 1950s diner will be closed for several weeks. Staff and six customers left safely.',
    section: 'local',
    tags: ['public-safety', 'small-business'],
    authors: ['maren-okafor'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 66,
    image: {
      key: 'fire',
      alt: 'Illustration of a building silhouetted against an orange glow at night, with flames and smoke rising above its roof and a fire engine with an extended ladder in the foreground.',
      caption: 'Firefighters contained the blaze to the diner\u2019s kitchen and rear storage room.',
      credit: ILLUSTRATION,
    },
    body: [
      "A grease fire in the kitchen of the Bluewater Diner on Alder Avenue forced the Eastgate landmark to close this morning, the second fire in a Port Alder food business this year. Firefighters arrived within five minutes of the alarm and kept the blaze to the kitchen and a rear storage room, Port Alder Fire & Rescue said.",
      "Two cooks, a server and six customers left the building safely. The diner's owner, Stavros Lindahl, whose parents opened the restaurant in 1956, said the kitchen's suppression system activated but could not stop flames that had reached the ventilation hood. He expects to be closed for at least six weeks while the kitchen is rebuilt.",
      "Fire investigators said the cause appeared to be accidental. The department reminded restaurant owners that kitchen hood systems must be inspected and cleaned twice a year under the fire code, and said it would offer free walk-through inspections for small food businesses in Eastgate this month.",
    ],
  },
  {
    slug: 'port-alder-rents-rose-9-percent',
    headline: 'Port Alder rents rose 9 percent last year, city housing report finds',
    dek: 'Vacancy fell to 1.6 percent, and nearly half of renter households now spend more than 30 percent of their income on housing.',
    section: 'local',
    tags: ['housing', 'budget'],
    authors: ['maren-okafor'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 96,
    image: {
      key: 'housing',
      alt: 'Illustration of a street of narrow row houses painted red, yellow, blue and green with dark gabled roofs, a taller apartment block behind them and a construction crane on the right.',
      caption: 'The report counted about 21,800 rental homes in Port Alder.',
      credit: ILLUSTRATION,
    },
    body: [
      "Average rents in Port Alder rose 9 percent last year, more than twice the rate of inflation, according to the city's annual housing report released yesterday. The increase was steepest for two-bedroom apartments in Ferrymead and Old Town, where the average asking rent climbed 13 percent.",
      "The report found the rental vacancy rate fell to 1.6 percent, down from 2.4 percent a year earlier and well below the 3 to 5 percent range housing economists generally consider healthy. Fewer than 300 new homes were completed in the city last year, the lowest total in a decade.",
      { list: ['Average one-bedroom rent: $1,480 a month, up 8 percent', 'Average two-bedroom rent: $1,910 a month, up 11 percent', 'Rental vacancy rate: 1.6 percent', 'Renter households spending more than 30 percent of income on housing: 47 percent', 'New homes completed: 287'] },
      "Housing director Corinne Abara told council's planning committee that rising construction and borrowing costs had stalled several approved projects, while population growth driven by the hospital expansion and remote workers had continued. She said about 1,100 homes have been approved but not yet started.",
      "The report also found that the share of renters spending more than half their income on housing had risen to 22 percent. Those households are most at risk of eviction or homelessness, Abara said. The city's emergency rent assistance fund ran out of money in the tenth month of the last fiscal year.",
      { pullQuote: "We have approved the homes. What we have not done is find a way to get them built.", attribution: 'Corinne Abara, housing director' },
      "The findings are likely to shape two debates at City Hall this year: the proposed Pier 9 redevelopment on the waterfront and a possible housing levy on the autumn ballot, which would raise property taxes to fund below-market homes. Councillors on both sides of those debates cited the report within hours of its release.",
    ],
  },
  {
    slug: 'council-puts-housing-levy-on-ballot',
    headline: 'Council votes 5-2 to put $85 million housing levy on autumn ballot',
    dek: 'If voters approve, the average homeowner would pay about $190 a year for ten years to fund below-market rental homes and rent assistance.',
    section: 'politics',
    tags: ['housing', 'city-council', 'elections'],
    authors: ['maren-okafor'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 76,
    image: {
      key: 'council',
      alt: 'Illustration of a pale stone civic building with six white columns, a triangular pediment and a green dome, flanked by trees, with a teal-and-gold flag on a pole to the right.',
      caption: 'Port Alder voters last approved a property-tax levy, for library buildings, in 2011.',
      credit: ILLUSTRATION,
    },
    body: [
      "Port Alder voters will decide this autumn whether to raise property taxes to pay for affordable housing, after City Council voted 5-2 to put an $85 million, ten-year levy on the municipal ballot. The vote followed a three-hour debate in which councillors repeatedly cited new figures showing rents rose 9 percent last year.",
      "The levy would cost the owner of a median-priced home about $190 a year. The city estimates it would fund about 900 below-market rental homes through partnerships with nonprofit builders, plus $1.5 million a year in emergency rent assistance for households facing eviction.",
      { h2: 'How the council voted' },
      "Councillors Yasmin Oduya, Ravi Pemberton, Lucia Marchetti, Tomas Brell and Dana Whitlock voted in favour. Councillors Gerald Finch and Hollis Grange voted against. Mayor Anneke Solberg, who votes only to break ties, said she supported sending the question to voters but would not campaign for or against it.",
      { quote: "I'm not asking my colleagues to decide this. I'm asking them to let the people who pay the taxes decide.", cite: 'Councillor Ravi Pemberton, who proposed the levy' },
      "Finch said he supported more affordable housing but objected to raising taxes while the city was still negotiating how much it would spend on the Pier 9 sea wall. Grange said the levy would push up rents for tenants whose landlords pass on tax increases, a point housing advocates at the meeting disputed.",
      "The Kessick Landlords Association said it would campaign against the measure. A coalition of tenant groups, faith organizations and the Kessick Building Trades Council has already formed to support it. Both sides will be subject to the city's campaign finance rules, which cap individual donations at $1,200.",
      "A levy requires a simple majority to pass. Port Alder voters last approved a property-tax levy, for library construction, in 2011, and rejected a transit levy by a narrow margin in 2017. Campaigners on both sides said turnout among renters, who do not pay the tax directly, could decide the result.",
    ],
  },
  {
    slug: 'judge-dismisses-alder-creek-trail-lawsuit',
    headline: 'Judge dismisses trail users’ lawsuit over Alder Creek closures',
    dek: 'The county had the authority to close three kilometres of trail to protect salmon habitat, a Superior Court justice ruled.',
    section: 'local',
    tags: ['courts', 'parks', 'climate'],
    authors: ['maren-okafor'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 180,
    image: {
      key: 'courthouse',
      alt: 'Illustration of a grey stone courthouse with eight columns and a pediment bearing a balance-scales emblem, lit by two old-fashioned lamp posts and a diagonal shaft of light.',
      caption: 'The case was heard at Kessick County Superior Court in Old Town.',
      credit: ILLUSTRATION,
    },
    body: [
      "A Kessick County Superior Court justice has dismissed a lawsuit brought by a trail users' group against the county over the closure of three kilometres of the Alder Creek trail, ruling that the county acted within its authority when it shut the route to protect salmon spawning beds.",
      "The Kessick Trail Users Alliance sued last year, arguing that a 1978 agreement with a former landowner created a permanent public right of way along the creek that the county could not close. The group represents about 1,200 hikers, runners and mountain bikers.",
      "In a 34-page decision, Justice Harriet Lowe-Ambrose found that the 1978 agreement granted public access “subject to the reasonable management of the land,” and that closing a section of trail to restore fish habitat was a reasonable management decision backed by scientific evidence. She also found the county had consulted the public adequately.",
      { quote: "The public's right to walk the land is real, but it has never been a right to walk it in any condition, in any place, regardless of the consequences.", cite: 'Justice Harriet Lowe-Ambrose, in her ruling' },
      "County biologists had testified that erosion from trail use was washing silt into gravel beds where coho salmon lay their eggs, and that spawning in that stretch of the creek had fallen by more than half in a decade. The closed section is being replanted, and the county has built a 4.1-kilometre detour on higher ground.",
      "The alliance's president, Jonah Whitcombe, said the group was disappointed and was considering an appeal. He said members supported salmon restoration but felt the detour, which climbs steeply, excluded older hikers and people with disabilities. The county parks department said it would add two rest areas and improve the surface of the steepest section this year.",
      "The ruling does not affect a separate dispute over the county's plans to charge parking fees at the trailhead, which is before the county commission. Commissioners are expected to take up that proposal after a public comment period that closes at the end of the month.",
    ],
  },
  {
    slug: 'library-restores-sunday-hours',
    headline: 'Public library to restore Sunday hours at three branches',
    dek: 'Eastgate, Ferrymead and the main branch will reopen on Sundays for the first time since budget cuts five years ago.',
    section: 'local',
    tags: ['libraries', 'budget', 'city-council'],
    authors: ['ines-calloway'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 260,
    body: [
      "The Port Alder Public Library will reopen three of its branches on Sundays starting next month, reversing a cut made five years ago when the city trimmed the library's budget by 8 percent. The main branch on Quarry Street and the Eastgate and Ferrymead branches will open from noon to 5 p.m.",
      "City Council approved $410,000 in extra library funding as part of a mid-year budget adjustment, enough to hire the equivalent of five full-time staff. Chief librarian Aurelia Kemp said Sunday was the day most requested in the library's community survey, particularly by working parents and students preparing for exams.",
      { pullQuote: "Sunday is the one day a lot of families have together. For five years, we were closed on it.", attribution: 'Aurelia Kemp, chief librarian' },
      "Before the cuts, Sunday was the library's busiest day per hour open. Staff said the branches also served as informal warm and cool spaces on weekends, a role that became more visible during the recent heat wave, when the main branch stayed open late as a designated cooling centre.",
      "The library will also extend weekday evening hours at the Saltmarsh Heights branch, which serves a neighbourhood with fewer home internet connections than any other in the city, according to the library's own data. Kemp said about a third of computer sessions at that branch are used for job applications and government forms.",
      "Not every branch will benefit. The small North Quay reading room, which shares a building with the Harbour Authority, will remain closed on weekends. Kemp said the library hoped to include a larger North Quay branch in the public space planned for the Pier 9 redevelopment, if that project goes ahead.",
    ],
  },

  // ---------------------------------------------------------------- business
  {
    slug: 'saltwater-cannery-cooperative-first-profit',
    headline: 'Saltwater cannery co-op posts its first profit in six years',
    dek: 'A new smoked-fish line and long-term hake contracts turned around the worker-owned plant, which nearly closed two years ago.',
    section: 'business',
    tags: ['fisheries', 'small-business', 'labour'],
    authors: ['tobias-reyne'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 230,
    image: {
      key: 'harbour',
      alt: 'Illustration of a quayside lined with stacked red, yellow and teal containers beneath two orange cranes, with a small cargo vessel on the water and the sun low over hills.',
      caption: 'The Saltwater Cooperative Cannery employs about 180 people at peak season.',
      credit: ILLUSTRATION,
    },
    body: [
      "The Saltwater Cooperative Cannery, the worker-owned fish processing plant on the North Quay, reported a profit of $1.2 million for its last fiscal year, its first annual surplus in six years. Two years ago the co-op's members voted on whether to close the plant. Instead, they took a temporary pay cut and borrowed to build a smoking line.",
      "General manager Oksana Beaumont said the turnaround rested on two decisions. The first was to sign five-year supply contracts with hake fishers at fixed minimum prices, which gave boats a reason to land their catch in Port Alder rather than at larger plants up the coast. The second was to move into smoked and ready-to-eat products, which earn several times more per kilogram than canned fish.",
      { quote: "We stopped trying to be the cheapest plant on the coast. We can't win that. We decided to be the best.", cite: 'Oksana Beaumont, general manager' },
      "Smoked products now account for 38 percent of revenue, up from nothing three years ago. The co-op sells to grocery chains across the country and is negotiating its first export deal, with a distributor in Kaldmark, after a new fisheries accord agreed to cut tariffs on processed seafood.",
      "Under the co-op's rules, members will vote on how to use the surplus. The board has proposed restoring the wage cut in full, paying back part of the loan and setting aside money for a new freezer. Member-owners, who each hold one vote regardless of seniority, will decide at the annual meeting next month.",
      "The co-op's recovery has been watched closely on the waterfront, where several other processors have closed in the past decade. Beaumont said the plant still faces risks, including rising energy costs, uncertainty about quotas and the possibility that new residents near the harbour could complain about the smokehouse. She has asked to meet the developers of the Pier 9 project.",
    ],
  },
  {
    slug: 'reserve-bank-holds-rates-steady',
    headline: 'Reserve Bank holds interest rates at 4.25 percent, signals patience',
    dek: 'Governor Ilse Marrow said inflation was easing but not fast enough to justify a cut, disappointing borrowers and home buyers.',
    section: 'business',
    tags: ['economy', 'housing'],
    authors: ['samuel-achterberg'],
    label: 'news',
    dateline: 'HALLOWMERE',
    hoursAgo: 62,
    image: {
      key: 'council',
      alt: 'Illustration of a neoclassical building with a domed roof and six columns above wide stone steps, under a blue sky with soft clouds.',
      caption: 'The Reserve Bank sets its policy rate eight times a year.',
      credit: ILLUSTRATION,
    },
    body: [
      "The Reserve Bank kept its benchmark interest rate at 4.25 percent for a fifth straight meeting, saying that inflation was moving in the right direction but remained too high for policymakers to begin cutting. The decision was widely expected by economists, though some had hoped for a signal that cuts could begin before the end of the year.",
      "Consumer prices rose 3.4 percent over the past year, down from a peak of 6.1 percent, according to the national statistics office. The bank's target is 2 percent. Governor Ilse Marrow said rents and services prices were falling more slowly than goods prices, and that wage growth remained strong.",
      { pullQuote: "We would rather be a little late than have to reverse course.", attribution: 'Ilse Marrow, Reserve Bank governor' },
      "Marrow declined to comment on the national election campaign, in which both major parties have promised measures to bring down housing costs. Asked whether large new housing programs could add to inflation, she said the bank would “look at the whole economy, not at manifestos,” and would respond to whatever policies a new government adopted.",
      "For households, the decision means borrowing costs will stay near their highest level in 15 years for now. About a third of mortgage holders in the country will renew their loans in the next two years, many at rates well above those they locked in earlier.",
      "In Port Alder, mortgage broker Faisal Whitmore said first-time buyers were waiting on the sidelines. “Everyone is asking the same question: wait for rates to fall, or buy now before prices go up again? There's no good answer,” he said. Local credit unions said demand for fixed-rate renewals had risen sharply.",
    ],
  },
  {
    slug: 'sponsored-alder-coast-credit-union-first-home',
    headline: 'Five questions to ask before buying your first home in Port Alder',
    dek: 'Sponsored by Alder Coast Credit Union. A local lender’s guide to getting ready for a first purchase in a tight market.',
    section: 'business',
    tags: ['housing'],
    authors: ['ledger-partner-studio'],
    label: 'sponsored',
    hoursAgo: 110,
    image: {
      key: 'housing',
      alt: 'Illustration of colourful row houses with pitched roofs along a quiet street, an apartment block and a construction crane in the background under a light blue sky.',
      caption: 'Paid content provided by Alder Coast Credit Union.',
      credit: 'Illustration: Ledger Partner Studio',
    },
    body: [
      "_This content is paid for by Alder Coast Credit Union and produced by Ledger Partner Studio. The Harbour Ledger newsroom was not involved in its creation._",
      "Buying a first home in Port Alder has rarely been harder. Prices have held firm while interest rates stay high, and listings are thin. But people do still buy, and the ones who do it well tend to prepare the same way. Here are five questions our members' advisers ask every first-time buyer before they start looking at listings.",
      { list: ['How much can you comfortably pay each month, not just what a lender will approve?', 'How much have you saved for the down payment, closing costs and a repair cushion?', 'How stable is your income over the next five years?', 'Which neighbourhoods fit your commute, schools and budget?', 'Would a fixed or variable rate suit your tolerance for risk?'], ordered: true },
      "The first question matters most. A lender's approval tells you the maximum you could borrow. It does not know about your car payment, your child-care bill or the fact that you want to keep travelling to see family. Our advisers suggest keeping total housing costs, including property tax and insurance, below about a third of take-home pay.",
      "Closing costs surprise many buyers. Legal fees, inspections, land-transfer charges and moving expenses can add several percent to the price of a home. Setting aside a separate repair cushion of at least 1 percent of the purchase price each year helps avoid putting an unexpected new roof on a credit card.",
      { h2: 'Talk to someone local' },
      "Alder Coast Credit Union has served Kessick County families since 1949 and is owned by its 41,000 members. Our mortgage advisers offer free, no-obligation planning sessions at all five branches, and our First Key program offers reduced fees for first-time buyers who complete a short home-ownership course.",
      "To book a session, visit any branch, call our member line or go to [aldercoast.example/first-home](https://aldercoast.example/first-home). Sessions are available in the evenings and on Saturday mornings. Mortgage products are subject to approval. Alder Coast Credit Union is a member of the national deposit insurance scheme.",
    ],
  },

  // ---------------------------------------------------------------- national
  {
    slug: 'assembly-passes-coastal-fisheries-bill',
    headline: 'Assembly passes coastal fisheries bill after all-night sitting',
    dek: 'The law reserves part of each quota for small boats and local processors. Large fleet operators say it will cost jobs.',
    section: 'national',
    tags: ['fisheries', 'harbour', 'labour'],
    authors: ['samuel-achterberg', 'tobias-reyne'],
    label: 'news',
    dateline: 'HALLOWMERE',
    hoursAgo: 900,
    image: {
      key: 'council',
      alt: 'Illustration of a stately parliament-style building with white columns, a green dome topped by a gold finial and broad steps, framed by two rounded trees.',
      caption: 'The National Assembly sat for more than 19 hours before the final vote.',
      credit: ILLUSTRATION,
    },
    body: [
      "The National Assembly passed the Coastal Fisheries Act by a vote of 124 to 109 shortly after dawn, ending an all-night sitting in which opposition members proposed more than 60 amendments. The law will reserve at least 30 percent of each commercial quota for boats under 20 metres and require a share of the catch to be landed at ports within the region where it was caught.",
      "Fisheries Minister Aldous Penhaligon said the bill would “keep the fish, the jobs and the money in coastal towns.” It passed with the votes of the governing Covenant Alliance, the Coastal Greens and two independents. The Meridian Party voted against, saying it supported the goals but that the landing rules had been written without enough consultation.",
      { h2: 'What the law changes' },
      { list: ['At least 30 percent of each quota reserved for vessels under 20 metres', 'Regional landing requirement for 40 percent of the catch, phased in over three years', 'A national registry of quota ownership, open to the public', 'Limits on how much quota any single company can hold'] },
      "Large fleet operators lobbied hard against the bill. The National Fishing Vessel Owners' Association said the landing rules would force trawlers to make longer trips to small ports without adequate facilities, raising costs and emissions. Its chair warned that some companies might move vessels to foreign registries.",
      "In Port Alder, the law was welcomed by small-boat fishers and by the Saltwater Cooperative Cannery, which has long struggled to secure a steady supply. “This is the first time in my working life that Hallowmere has written a fisheries law with boats like mine in mind,” said Rosalind Achter, who fishes for hake from a 14-metre boat out of North Quay.",
      "The public quota registry may prove the most significant change. For years, fishing communities have complained that they could not find out who owns the right to catch fish in their own waters. The registry must be online within 18 months.",
      "The act still requires approval by the Senate, which rarely blocks legislation passed by the Assembly. The government is expected to face a confidence vote on its budget next month, but the bill would survive an election if it receives final approval before the Assembly is dissolved.",
    ],
  },
  {
    slug: 'national-rail-strike-averted',
    headline: 'National rail strike averted after overnight deal',
    dek: 'Train crews will vote on a four-year agreement that includes raises of 14 percent and new rest-period rules.',
    section: 'national',
    tags: ['labour', 'transit'],
    authors: ['samuel-achterberg'],
    label: 'news',
    dateline: 'HALLOWMERE',
    hoursAgo: 160,
    body: [
      "A national rail strike that would have halted passenger and freight trains across the country was called off early this morning after the state rail operator and the National Rail Workers' Union reached a tentative four-year agreement. The deal came about five hours before a walkout was due to begin.",
      "The agreement includes wage increases totalling 14 percent over four years and new rules guaranteeing minimum rest periods between shifts, the union's central demand. The union said fatigue had become a safety issue after years of staff shortages. Details of the rest rules were not released, pending a ratification vote by members over the next three weeks.",
      "Freight customers, including grain shippers and the container terminal at Port Alder, had warned that even a short strike would cause weeks of backlogs. The Port Alder Harbour Authority said it had begun planning to divert some cargo to road haulage and welcomed the deal.",
    ],
  },

  // ---------------------------------------------------------------- world
  {
    slug: 'merova-flooding-displaces-thousands',
    headline: 'Flooding displaces thousands in Merova as the Ostra River crests',
    dek: 'Esterra’s capital has evacuated low-lying districts after days of rain. Port Alder’s Esterran community is collecting donations.',
    section: 'world',
    tags: ['weather', 'climate'],
    authors: ['samuel-achterberg'],
    label: 'news',
    dateline: 'MEROVA, Esterra',
    hoursAgo: 28,
    image: {
      key: 'storm',
      alt: 'Illustration of a storm over dark water: layered grey clouds, diagonal rain, a jagged lightning bolt and white-capped waves, with a striped lighthouse beam cutting through the gloom.',
      caption: 'Esterra’s weather agency recorded more rain in four days than Merova usually receives in two months.',
      credit: ILLUSTRATION,
    },
    body: [
      "The Ostra River crested more than four metres above its normal level in Merova today, flooding riverside districts of Esterra's capital and forcing about 14,000 people from their homes, according to the city's emergency management office. At least three deaths have been confirmed, and officials said the number could rise as floodwaters recede.",
      "Four days of heavy rain across the Ostra basin swelled tributaries upstream, and the river breached temporary barriers in the old port district before dawn. Video broadcast by Esterran public television showed water reaching the first floors of apartment buildings and residents being carried to boats by soldiers.",
      { embed: 'https://www.youtube.com/watch?v=esterraNews0731' },
      "Esterra's president, Valérie Osmundsen, declared a state of emergency in Merova and two neighbouring provinces and asked the Northern Maritime Compact to send pumping equipment and temporary shelters. Kaldmark, which signed a fisheries accord with Esterra earlier this month, said it would send two military transport ships carrying supplies.",
      { quote: "We built the river walls for the floods our grandparents knew. This is not that river anymore.", cite: 'Tomas Adeyinka-Holm, deputy mayor of Merova' },
      "Hydrologists at Merova University said the rainfall was the heaviest recorded in the basin since measurements began in the 1880s. The city completed a flood-defence upgrade six years ago, but engineers had warned that the design assumed a lower peak than the river reached this week.",
      { h2: 'Help from Port Alder' },
      "In Port Alder, home to about 1,300 people of Esterran descent, the Esterran Cultural Association opened a donation centre at its hall on Ropewalk Lane. Organizer Lidia Koskinen said the group was collecting money rather than goods, on the advice of relief agencies, and had raised about $23,000 in its first day.",
      "“Everyone here has someone in Merova,” Koskinen said. “My aunt lives two streets from the river. She is safe, but her shop is under water.” The association plans a benefit concert at the Alder Playhouse next month and is working with a national relief agency to send the money it raises.",
    ],
  },
  {
    slug: 'esterra-kaldmark-sign-fisheries-accord',
    headline: 'Esterra and Kaldmark sign fisheries accord, ending a decade-long dispute',
    dek: 'The agreement divides hake and herring stocks in the contested Skerrow Banks and eases tariffs on processed seafood.',
    section: 'world',
    tags: ['diplomacy', 'fisheries', 'economy'],
    authors: ['samuel-achterberg'],
    label: 'news',
    dateline: 'SKARHOLT, Kaldmark',
    hoursAgo: 270,
    image: {
      key: 'harbour',
      alt: 'Illustration of a harbour at golden hour with container stacks on a dark quay, two orange cranes, a moored ship and reflections of the sun across the water.',
      caption: 'Fishing boats from both countries have been detained in the Skerrow Banks at least 40 times since 2014.',
      credit: ILLUSTRATION,
    },
    body: [
      "Esterra and Kaldmark signed an agreement today dividing fishing rights in the Skerrow Banks, ending a dispute that has led to boat seizures, trade sanctions and, three years ago, a collision between patrol vessels. The accord was signed in Skarholt by the two countries' foreign ministers after 14 months of talks.",
      "Under the deal, the banks' hake and herring stocks will be managed by a joint scientific commission that will set an overall catch limit each year. Kaldmark will receive 55 percent of the quota and Esterra 45 percent, reflecting historic catches. Boats from either country will be allowed to fish anywhere in the zone under a shared licensing system.",
      { list: ['Joint scientific commission to set annual catch limits', 'Quota split: 55 percent Kaldmark, 45 percent Esterra', 'Shared licensing and inspection in the disputed zone', 'Tariffs on processed seafood cut from 12 percent to 3 percent over two years'] },
      "Both governments framed the deal as a victory. Kaldmark's foreign minister, Henrike Aaltonen, said it guaranteed her country's fishers “the share their families have fished for generations.” Her Esterran counterpart, Joaquim Ravel, said the joint commission meant “science, not gunboats, will decide how much fish is taken from the banks.”",
      "Fishing organizations in both countries were more cautious. An Esterran fishers' union said the quota split locked in a disadvantage for its members, while Kaldmarkian conservation groups said they would watch whether the commission set limits low enough to allow the depleted herring stock to recover.",
      { pullQuote: "Science, not gunboats, will decide how much fish is taken from the banks.", attribution: 'Joaquim Ravel, Esterran foreign minister' },
      "The agreement may have effects far from the Skerrow Banks. Lower tariffs on processed seafood will open Kaldmark's market to exporters elsewhere under existing trade rules, and several processors, including the Saltwater Cooperative Cannery in Port Alder, have said they are exploring sales there.",
      "The accord must be ratified by both countries' parliaments. Kaldmark's is expected to approve it within weeks. In Esterra, where the government holds a narrow majority, opposition parties have said they will scrutinize the quota split before deciding how to vote.",
    ],
  },
  {
    slug: 'maritime-compact-agrees-shipping-emissions-cuts',
    headline: 'Maritime Compact ministers agree to cut shipping emissions 60 percent by 2040',
    dek: 'Member states will require shore power at major ports and phase in a levy on marine fuel. Smaller ports say they will need help to comply.',
    section: 'world',
    tags: ['climate', 'diplomacy', 'harbour'],
    authors: ['samuel-achterberg', 'priya-lindqvist'],
    label: 'news',
    dateline: 'VESSALUND, Solveign Islands',
    hoursAgo: 520,
    body: [
      "Transport and environment ministers from the 11 members of the Northern Maritime Compact agreed today to cut greenhouse gas emissions from shipping in their waters by 60 percent by 2040, compared with current levels. The agreement, reached after two days of talks in Vessalund, is the most ambitious regional shipping deal yet.",
      "The plan has three main parts. Ports handling more than a set volume of cargo or passengers must provide shore power, so ships can switch off their engines at the dock, by 2032. A levy on marine fuel, rising over a decade, will fund the transition. And ferries on routes shorter than 30 kilometres must be zero-emission by 2038.",
      { quote: "Shipping has been the quiet exception in our climate plans. As of today, it is no longer an exception.", cite: 'Signe Mårtensdottir, Solveign Islands environment minister, who chaired the talks' },
      "Shipping industry groups said the targets were achievable but warned that the levy would raise freight costs, particularly for island communities that depend on ships for food and fuel. The agreement includes a rebate for routes serving islands with fewer than 5,000 residents, a provision negotiated by Esterra and the Solveign Islands.",
      { h2: 'What it could mean for Port Alder' },
      "Port Alder's container terminal and ferry terminal would both likely fall under the shore-power requirement, according to the Harbour Authority's initial reading of the text. The Authority estimates that installing shore power at both sites would cost between $30 million and $45 million. A spokesperson said it would seek national funding.",
      "The short-route ferry rule would also apply to the Gull Island crossing. Kessick Sound Ferries is already building a battery-electric vessel for the route, but its second ferry, a diesel boat built in 1987, would need to be replaced or converted within 15 years.",
      "The agreement still needs to be adopted into law by each member state, a process that has taken years for earlier Compact agreements. Environmental groups welcomed the targets but criticized a provision allowing countries to delay the fuel levy by up to three years if shipping traffic falls sharply.",
    ],
  },
  {
    slug: 'tavrin-grain-export-pause-bread-prices',
    headline: 'Why a grain export pause in Tavrin could show up in your bread prices',
    dek: 'A drought-stricken exporter has halted wheat shipments for three months. The effects will be modest here, but not zero.',
    section: 'world',
    tags: ['economy', 'climate', 'diplomacy'],
    authors: ['samuel-achterberg'],
    label: 'analysis',
    hoursAgo: 700,
    image: {
      key: 'market',
      alt: 'Illustration of market stalls under red, teal and yellow striped awnings, tables heaped with round fruits and vegetables, string lights glowing overhead in a purple evening sky.',
      caption: 'Bakers and grocers in Port Alder say they have not yet seen higher flour prices from wholesalers.',
      credit: ILLUSTRATION,
    },
    body: [
      "The Republic of Tavrin announced last week that it would stop exporting wheat for three months after its worst drought in 40 years cut the harvest by roughly a third. Tavrin supplies about 9 percent of the wheat traded internationally, and the announcement sent benchmark wheat prices up 11 percent in two days. Here is what that does, and does not, mean for shoppers on the coast.",
      { h2: 'Why Tavrin matters' },
      "Most countries grow the bulk of their own wheat, so only a fraction of the world's harvest is traded across borders. That makes the international market sensitive to a single large exporter. When Tavrin steps back, importers in the region that buy most of its wheat must compete for supplies elsewhere, pushing up prices for everyone.",
      "This country imports relatively little wheat for bread; most flour sold here comes from domestic mills. But global prices still matter, because domestic farmers and mills price their grain against the international benchmark. A sustained rise abroad tends to pull local prices up within a few months.",
      { pullQuote: "The wheat in a loaf of bread accounts for a surprisingly small share of what you pay for it." },
      "The wheat in a loaf of bread accounts for a surprisingly small share of its shelf price, often between 10 and 15 percent. Labour, energy, packaging, transport and retail margins make up most of the rest. An 11 percent jump in wheat, if it lasted, might add a few cents to a loaf, not a dollar.",
      "Other foods may be more sensitive. Animal feed prices track grain closely, so a prolonged rise could show up in the cost of eggs, chicken and dairy. Pasta and breakfast cereals, which contain more wheat per dollar, would also be affected more than bread.",
      { h2: 'What to watch' },
      "The key questions are whether Tavrin extends the pause beyond three months and whether rains arrive in time for its next planting season. Agricultural economists say a short pause is likely to produce a brief spike followed by a partial retreat. A longer one, combined with poor harvests elsewhere, would be a more serious problem, particularly for poorer importing countries that depend on Tavrin's grain.",
    ],
  },

  // ---------------------------------------------------------------- culture
  {
    slug: 'review-the-lamplighters-daughter-alder-playhouse',
    headline: 'Review: ‘The Lamplighter’s Daughter’ is a tender, uneven triumph at the Alder Playhouse',
    dek: 'Odile Markham’s new play about a lighthouse family in the 1950s has a remarkable lead performance and a second act that loses its way.',
    section: 'culture',
    tags: ['arts', 'history'],
    authors: ['ruth-danquah'],
    label: 'review',
    hoursAgo: 45,
    image: {
      key: 'theatre',
      alt: 'Illustration of a theatre stage framed by deep red velvet curtains, two dark figures standing in the beams of stage spotlights on a wooden floor, and the silhouettes of audience heads in the foreground.',
      caption: '‘The Lamplighter’s Daughter’ runs at the Alder Playhouse through the end of next month.',
      credit: ILLUSTRATION,
    },
    body: [
      "There is a moment near the end of the first act of _The Lamplighter's Daughter_ when Nell, the 17-year-old at the centre of Odile Markham's new play, climbs the lighthouse stairs alone for the first time to light the lamp her father can no longer reach. The stage goes almost dark. Then a single beam swings out over the audience, and the room holds its breath.",
      "It is the best thing in a production that has many good things in it, and a few that don't work. Markham, who grew up on Gull Island, has written a play about duty, inheritance and the cost of being the person everyone else depends on. When it stays close to Nell and her family, it is often beautiful.",
      { h2: 'A star-making performance' },
      "Saoirse Lund, a recent graduate of the Kessick Arts Academy, plays Nell with a watchfulness that carries the whole evening. She speaks little in the early scenes, and the play trusts her to communicate through stillness, a hand on a railing, a glance at her mother. When Nell finally argues back, Lund makes every line land like a wave against rock.",
      { pullQuote: "When it stays close to Nell and her family, it is often beautiful." },
      "Director Kwame Eriksen-Hale keeps the staging spare: a spiral staircase, a kitchen table, a wall of windows that Aurelio Brandt's lighting turns from summer blue to storm grey. Original music by the Port Alder fiddler Maeve Torrance, performed live from a loft above the stage, is used sparingly and well.",
      "The trouble comes after the interval. The second act introduces a government inspector sent to automate the lighthouse, and the play turns from a family drama into something closer to a debate about progress. The inspector is given long speeches that explain what the first act had already shown, and the momentum drains away.",
      "Markham's instincts return in the final scenes, which bring the story back to the kitchen table and end on an image I won't spoil. The production is long, at nearly two hours and forty minutes, and could lose 20 minutes from its second half without losing anything important.",
      "Still, this is the most ambitious new work the Playhouse has staged in years, and Lund's performance alone is worth the ticket. _The Lamplighter's Daughter_ runs through the end of next month. Tickets start at $24, with pay-what-you-can performances on Wednesday evenings.",
    ],
  },
  {
    slug: 'harbour-jazz-festival-moves-to-pier-4',
    headline: 'Harbour Jazz Festival moves to Pier 4 and announces its biggest lineup yet',
    dek: 'The three-day festival leaves Alder Park for the waterfront, with 32 acts on two stages and free afternoon shows.',
    section: 'culture',
    tags: ['arts', 'harbour', 'parks'],
    authors: ['ruth-danquah'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 190,
    image: {
      key: 'market',
      alt: 'Illustration of an evening waterfront festival with rows of stalls under colourful striped awnings, glowing string lights overhead and silhouetted visitors walking in front.',
      caption: 'Organizers expect about 12,000 visitors across the festival weekend.',
      credit: ILLUSTRATION,
    },
    body: [
      "The Harbour Jazz Festival will move from Alder Park to the Pier 4 apron on the waterfront this summer, organizers announced, and will feature 32 acts across two stages over three days, the largest lineup in its 17-year history. The move follows complaints from neighbours of the park about noise and damage to the lawns.",
      "Festival director Benedikt Osei-Lamb said the pier offered room for a second stage and was closer to the ferry terminal, bus routes and downtown restaurants. The Harbour Authority has agreed to lease the space for a nominal fee, and the city will close part of Harbour Road to traffic during the evening concerts.",
      { list: ['**Friday**: the Ingrid Saltmarsh Quartet, the Kessick Youth Big Band and Skarholt-born pianist Temi Adesanya-Ward', '**Saturday**: Brass Lantern, singer Coralie Vantongeren and the Gull Island Trad Collective', '**Sunday**: a gospel matinee, the Merova Swing Orchestra and a closing set by saxophonist Dorian Achebe-Lund'] },
      "The Merova Swing Orchestra, a 16-piece band from the Esterran capital, will make its first visit to Port Alder. Osei-Lamb said the booking was arranged with help from the city's Esterran Cultural Association, which will host a reception for the musicians and a free dance workshop at its hall on Ropewalk Lane.",
      { embed: 'https://www.youtube.com/watch?v=harbourJazzDemo17' },
      "Afternoon performances on the smaller stage will be free, continuing a tradition that organizers say keeps the festival open to families who cannot afford evening tickets. Evening passes cost $45 a day or $110 for the weekend, with reduced prices for students and people over 65.",
      "Some fishing businesses near Pier 4 have raised concerns about crowds blocking access to the working docks. The festival has agreed to keep a 10-metre lane open along the water's edge at all times and to end amplified music at 10:30 p.m.",
    ],
  },
  {
    slug: 'museum-exhibit-1952-cannery-strike',
    headline: 'New museum exhibit revisits the 1952 cannery strike that shaped Port Alder',
    dek: 'Oral histories, union banners and a rebuilt picket shack tell the story of the 11-week walkout led largely by women workers.',
    section: 'culture',
    tags: ['history', 'labour', 'arts'],
    authors: ['ruth-danquah'],
    label: 'news',
    dateline: 'PORT ALDER',
    hoursAgo: 860,
    body: [
      "For 11 weeks in the autumn of 1952, almost nothing moved through the canneries of Port Alder. About 1,400 workers, most of them women who filleted and packed fish on the processing lines, walked out over pay, speed-ups and the firing of two union organizers. A new exhibit at the Port Alder Museum of Maritime Life tells their story, largely in their own words.",
      "_Eleven Weeks_ opens this weekend and runs for a year. Its centrepiece is a reconstruction of a picket shack that stood at the foot of Netmakers Row, built by museum staff from photographs and a single surviving door. Inside, visitors can listen to recordings of strikers interviewed by a local historian in the 1980s.",
      { quote: "We weren't asking for the moon. We were asking to be paid for the fish we packed and to go to the toilet without asking permission.", cite: 'Agnes Pirelli, striker, in a 1984 interview featured in the exhibit' },
      "Curator Yusuf Brannigan said the museum spent three years tracking down material, much of it held by the families of strikers. The exhibit includes hand-painted banners, a ledger of strike-fund payments and letters between organizers and the cannery owners, several of which have never been shown publicly.",
      "The strike ended with a contract that raised wages by 18 percent and set the first limits on line speeds at the plants. Historians consider it a turning point in the city's labour history, and the union it established eventually became part of the one that now represents workers at the Saltwater Cooperative Cannery.",
      { pullQuote: "The people who packed the fish built this town as much as the people who caught it.", attribution: 'Yusuf Brannigan, curator' },
      "Brannigan said the exhibit was also meant to challenge how the waterfront remembers itself. Most public monuments in Port Alder honour fishermen and ship captains, he said, while the women who worked on shore are largely absent. The museum is asking visitors to share family stories about the canneries for a digital archive.",
    ],
  },
];

/**
 * An evaluation set for related stories, written for this project: 15 kinds of
 * story, each happening twice in different places to different people (two
 * wildfires, two elections, two strikes ...), so 30 clusters whose vocabulary
 * overlaps heavily in pairs. Each cluster has 11 short articles (330 in all):
 * different angles on the same event, told with the kind's shared sentences,
 * the cluster's own names and a few facts only that event has.
 *
 * Sections and tags follow the kind, never the cluster, so neither gives a
 * cluster away: a ranker scores well only if it tells the two fires apart by
 * what the stories say. Deterministic (seeded).
 */

export interface EvalArticle {
  cluster: string;
  headline: string;
  dek: string;
  paragraphs: string[];
  section: string;
  tags: string[];
  /** Days before "now". */
  daysAgo: number;
}

interface Cluster {
  id: string;
  /** Slot values used by the kind's sentences: {place}, {person}, {role}, {org}, {thing}, {other}. */
  slots: Record<string, string>;
  /** Sentences only this event has. */
  facts: string[];
  /** Days before now when the event began. */
  start: number;
}

interface Kind {
  name: string;
  section: string;
  tags: string[];
  headlines: string[];
  deks: string[];
  sentences: string[];
  clusters: [Cluster, Cluster];
}

const KINDS: Kind[] = [
  {
    name: 'wildfire',
    section: 'Local',
    tags: ['Wildfire', 'Emergencies'],
    headlines: [
      'Wildfire near {place} forces evacuations',
      'Crews gain ground on the {thing} fire',
      '{person} says the {thing} fire is half contained',
      'Residents of {place} return to scorched streets',
      'What caused the {thing} fire? Investigators look at {other}',
      'Smoke from the {thing} fire closes schools in {place}',
    ],
    deks: ['Firefighters worked through the night as winds shifted.', 'Evacuation orders remain for several neighbourhoods.', 'The blaze has burned thousands of acres of dry brush.'],
    sentences: [
      'The fire spread quickly through dry brush on the hills above {place}.',
      '{role} {person} said crews had cut a line along the eastern edge of the fire.',
      'Evacuation centres opened at the high school and the community hall in {place}.',
      'Winds gusting over forty miles an hour pushed embers across the highway.',
      'Firefighters from neighbouring counties joined the effort overnight.',
      'Air tankers dropped retardant on the ridge while helicopters filled buckets at {other}.',
      'Officials said the {thing} fire had destroyed several homes and damaged many more.',
      'Residents described packing their cars as flames lit up the sky above {place}.',
      'The cause of the fire is under investigation, {person} said.',
      'Power was shut off to thousands of homes to keep lines from sparking new fires.',
    ],
    clusters: [
      {
        id: 'fire-cedar',
        slots: { place: 'Cedar Flats', person: 'Marta Ocampo', role: 'Fire Chief', org: 'Cedar Flats Fire District', thing: 'Juniper Ridge', other: 'Lake Tolman' },
        facts: ['The Juniper Ridge fire began near an abandoned sawmill off Quarry Road.', 'The Cedar Flats Fire District asked volunteers to stop bringing donated clothing.', 'Marta Ocampo thanked the crews from the Tolman Valley reservation.'],
        start: 40,
      },
      {
        id: 'fire-ashby',
        slots: { place: 'Ashby Hollow', person: 'Dennis Kowalczyk', role: 'Battalion Chief', org: 'Ashby County Fire Authority', thing: 'Sulphur Creek', other: 'the Merritt reservoir' },
        facts: ['The Sulphur Creek fire jumped the railway line near the old Ashby grain elevator.', 'Dennis Kowalczyk said the Ashby County Fire Authority had requested national guard help.', 'Vineyards along Sulphur Creek lost most of this year\'s harvest.'],
        start: 200,
      },
    ],
  },
  {
    name: 'election',
    section: 'Politics',
    tags: ['Elections'],
    headlines: [
      '{person} wins the race for {thing}',
      'Turnout climbs in {place} as polls close',
      'Recount ordered in the {thing} contest',
      '{person} concedes after a bitter campaign in {place}',
      'Five things to watch in the {thing} race',
      'Ballot counting in {place} runs into a second day',
    ],
    deks: ['Early returns showed a close contest.', 'Both campaigns spent heavily on the final week.', 'Election officials urged patience as ballots were counted.'],
    sentences: [
      'Polls in {place} closed at eight with lines still outside several precincts.',
      '{person} thanked volunteers at a rally in the {other}.',
      'Election officials said mailed ballots would be counted through the weekend.',
      'The campaign for {thing} focused on housing costs, schools and public safety.',
      'Turnout was higher than in the last election, officials said.',
      'Both candidates promised to respect the result once every ballot was counted.',
      'A recount is automatic when the margin is below half a percentage point.',
      '{person} led in early returns but the gap narrowed overnight.',
      'Voters in {place} also approved a bond measure for road repairs.',
      'The winner will be sworn in early next year.',
    ],
    clusters: [
      {
        id: 'election-mayor',
        slots: { place: 'Port Lindqvist', person: 'Harriet Osondu', role: 'Mayor-elect', org: 'Lindqvist Election Office', thing: 'Port Lindqvist mayor', other: 'old ferry terminal' },
        facts: ['Harriet Osondu ran on a plan to reopen the Lindqvist ferry pier.', 'Her opponent, councillor Barnaby Tull, conceded by phone.', 'Port Lindqvist has never elected a mayor from the north shore before.'],
        start: 120,
      },
      {
        id: 'election-senate',
        slots: { place: 'Rowan County', person: 'Teodor Valchev', role: 'Senator-elect', org: 'Rowan County Clerk', thing: 'state Senate District 14', other: 'Rowan fairgrounds' },
        facts: ['Teodor Valchev is a former dairy farmer and school board member.', 'District 14 stretches from the Rowan fairgrounds to the mountain passes.', 'Outside groups spent four million dollars on District 14 advertising.'],
        start: 110,
      },
    ],
  },
  {
    name: 'strike',
    section: 'Business',
    tags: ['Labour'],
    headlines: [
      'Workers at {org} walk off the job',
      '{org} strike enters its second week',
      'Talks resume in the {org} dispute',
      '{person}: the union will not accept the {thing} offer',
      'Picket lines grow outside {place}',
      'Deal reached to end the {org} strike',
    ],
    deks: ['The union says pay has not kept up with prices.', 'Management calls the demands unaffordable.', 'Both sides returned to the table after a mediator stepped in.'],
    sentences: [
      'Picket lines formed outside {place} before dawn.',
      '{role} {person} said members had voted overwhelmingly to strike.',
      'The company said its latest offer included a raise over three years.',
      'The union wants limits on overtime and better safety rules.',
      'A federal mediator met both sides for twelve hours on Sunday.',
      'Customers were warned of delays while the strike continues.',
      'Workers said they had not had a real raise in years.',
      'The dispute over {thing} has been building since the last contract expired.',
      'Management said replacement workers would keep some operations running.',
      'Local businesses near {place} brought food to the picket lines.',
    ],
    clusters: [
      {
        id: 'strike-nurses',
        slots: { place: 'St. Brennan Hospital', person: 'Ruth Adeyemi', role: 'Union president', org: 'St. Brennan Hospital', thing: 'nurse staffing ratio', other: 'emergency ward' },
        facts: ['Nurses at St. Brennan Hospital say one nurse often covers eight patients.', 'The hospital diverted ambulances to Mercy General during the strike.', 'Ruth Adeyemi has worked in the St. Brennan maternity ward for nineteen years.'],
        start: 70,
      },
      {
        id: 'strike-dockers',
        slots: { place: 'the Greywater container terminal', person: 'Callum Fitzgerald', role: 'Shop steward', org: 'Greywater Port', thing: 'crane automation', other: 'container yard' },
        facts: ['Container ships are anchored off the Greywater breakwater waiting to unload.', 'Callum Fitzgerald says the new automated cranes will cost two hundred jobs.', 'Retailers warn that holiday goods are stuck at Greywater Port.'],
        start: 75,
      },
    ],
  },
  {
    name: 'flood',
    section: 'Local',
    tags: ['Weather', 'Emergencies'],
    headlines: [
      'Floodwaters rise in {place}',
      '{thing} breaches its banks after days of rain',
      '{person} declares an emergency as {place} floods',
      'Cleanup begins in {place} after the flood',
      'Who pays for the {place} flood damage?',
      'Sandbag crews race the rising {thing}',
    ],
    deks: ['Several roads are closed and schools are shut.', 'Forecasters expect more rain this week.', 'Residents are counting the cost of the water damage.'],
    sentences: [
      'The {thing} rose more than two metres in a single day.',
      '{role} {person} urged residents in low-lying streets to leave.',
      'Volunteers filled sandbags at the public works yard in {place}.',
      'Several roads were closed after water covered the pavement.',
      'Rescue crews used boats to reach families trapped in their homes.',
      'The river is expected to crest on Thursday, forecasters said.',
      'Basements across {place} filled with muddy water overnight.',
      'Insurance adjusters arrived as the water began to recede.',
      'Farmers said fields near {other} were under water.',
      'Officials warned residents not to drive through flooded roads.',
    ],
    clusters: [
      {
        id: 'flood-millbrook',
        slots: { place: 'Millbrook', person: 'Agnes Thorsby', role: 'Mayor', org: 'Millbrook Public Works', thing: 'Wend River', other: 'the Millbrook orchards' },
        facts: ['The Wend River flood reached the steps of the Millbrook town hall.', 'Agnes Thorsby said the old levee on Tanner Street failed first.', 'The Millbrook orchards lost most of their young apple trees.'],
        start: 250,
      },
      {
        id: 'flood-harlow',
        slots: { place: 'Harlow Bay', person: 'Emeka Nwosu', role: 'Emergency manager', org: 'Harlow Bay Emergency Office', thing: 'Saltmarsh Creek', other: 'the Harlow rice paddies' },
        facts: ['A storm surge pushed seawater up Saltmarsh Creek at high tide.', 'Emeka Nwosu said the Harlow Bay pumping station lost power.', 'The Harlow rice paddies were flooded with salt water.'],
        start: 60,
      },
    ],
  },
  {
    name: 'trial',
    section: 'Courts',
    tags: ['Courts', 'Crime'],
    headlines: [
      'Jury selection begins in the {thing} trial',
      '{person} takes the stand in {place} courtroom',
      'Prosecutors rest their case against {person}',
      'Verdict reached in the {thing} case',
      '{person} sentenced in the {thing} case',
      'Defence challenges key evidence in the {thing} trial',
    ],
    deks: ['The trial is expected to last several weeks.', 'The judge warned spectators to keep order.', 'Both sides made their closing arguments on Friday.'],
    sentences: [
      'The jury of seven women and five men was seated on Tuesday.',
      'Prosecutors told jurors the evidence would show a clear pattern.',
      'The defence said its client had been wrongly accused.',
      '{role} {person} listened without expression as the verdict was read.',
      'The judge denied a motion to dismiss the charges.',
      'Witnesses described what they saw at {place} that night.',
      'The trial at the {other} drew crowds every morning.',
      'Sentencing is scheduled for next month.',
      'Lawyers for {person} said they would appeal.',
      'The case over {thing} has been closely watched across the region.',
    ],
    clusters: [
      {
        id: 'trial-embezzle',
        slots: { place: 'the Quillan Credit Union', person: 'Gerald Ashworth', role: 'Former treasurer', org: 'Quillan Credit Union', thing: 'credit union embezzlement', other: 'Quillan County courthouse' },
        facts: ['Gerald Ashworth is accused of moving two million dollars from member accounts.', 'Auditors found forged signatures on loans at the Quillan Credit Union.', 'Credit union members lined the halls of the Quillan County courthouse.'],
        start: 150,
      },
      {
        id: 'trial-arson',
        slots: { place: 'the Beaumont warehouse', person: 'Lena Sorvino', role: 'Defendant', org: 'Beaumont Storage', thing: 'warehouse arson', other: 'Beaumont district court' },
        facts: ['Lena Sorvino is charged with setting the fire that gutted the Beaumont warehouse.', 'Fire investigators found traces of petrol near the loading dock.', 'Lena Sorvino had taken out a large insurance policy on Beaumont Storage.'],
        start: 155,
      },
    ],
  },
  {
    name: 'school budget',
    section: 'Education',
    tags: ['Schools'],
    headlines: [
      '{org} faces a deficit of millions',
      'Parents pack the {org} budget hearing',
      '{person} proposes closing {thing}',
      'Teachers warn of larger classes in {place}',
      '{org} approves a leaner budget',
      'What the {place} school cuts mean for families',
    ],
    deks: ['Enrolment has fallen for five years running.', 'The district says it has no choice but to cut.', 'Parents say the children will pay the price.'],
    sentences: [
      'The district expects a shortfall as enrolment keeps falling.',
      '{role} {person} presented three options for closing the gap.',
      'Parents at the hearing held signs asking the board to save {thing}.',
      'Teachers said class sizes would rise above thirty students.',
      'The board voted after midnight following hours of public comment.',
      'Music and art programmes are among the proposed cuts.',
      'The district will ask voters for a levy next spring.',
      'Bus routes in {place} would be consolidated under the plan.',
      'Families worry about longer trips to {other}.',
      'State funding has not kept up with rising costs, district officials said.',
    ],
    clusters: [
      {
        id: 'school-fenwick',
        slots: { place: 'Fenwick', person: 'Priya Raghunathan', role: 'Superintendent', org: 'Fenwick Unified', thing: 'Orchard Lane Elementary', other: 'Fenwick Middle School' },
        facts: ['Orchard Lane Elementary opened in 1954 and has 180 pupils.', 'Priya Raghunathan said Fenwick Unified spends too much heating half-empty buildings.', 'Fenwick parents collected three thousand signatures to keep Orchard Lane open.'],
        start: 90,
      },
      {
        id: 'school-dunmore',
        slots: { place: 'Dunmore Heights', person: 'Walter Mbeki', role: 'Board chair', org: 'Dunmore Heights School District', thing: 'the Dunmore marching band', other: 'Crestview High' },
        facts: ['The Dunmore marching band has played at the state capitol parade for forty years.', 'Walter Mbeki said Dunmore Heights would lose its swimming programme too.', 'Crestview High students walked out in protest at the cuts.'],
        start: 95,
      },
    ],
  },
  {
    name: 'bridge',
    section: 'Local',
    tags: ['Transport'],
    headlines: [
      'The {thing} closes for urgent repairs',
      'Commuters face long detours around the {thing}',
      'Inspectors found cracks in the {thing}, {person} says',
      'When will the {thing} reopen?',
      'Businesses in {place} hurt by the {thing} closure',
      'Repair contract awarded for the {thing}',
    ],
    deks: ['Engineers say the structure is not safe for traffic.', 'Detours add half an hour to the commute.', 'The repairs could take most of the year.'],
    sentences: [
      'Engineers closed the {thing} after an inspection found corroded steel.',
      '{role} {person} said safety came before convenience.',
      'Detour signs send drivers through {place}, adding thirty minutes.',
      'Buses will run on a temporary route until the work is done.',
      'Shop owners in {place} say customers have stopped coming.',
      'The state will pay most of the cost of the repairs.',
      'Divers inspected the piers beneath the water last week.',
      'The {thing} carries about twenty thousand vehicles a day.',
      'A ferry service from {other} has been added for commuters.',
      'Officials hope to reopen one lane before winter.',
    ],
    clusters: [
      {
        id: 'bridge-kestrel',
        slots: { place: 'Kestrel Point', person: 'Yusuf Demir', role: 'Transport director', org: 'Kestrel Transport Department', thing: 'Kestrel Narrows Bridge', other: 'the Kestrel marina' },
        facts: ['The Kestrel Narrows Bridge is a steel truss built in 1931.', 'Yusuf Demir said a cracked gusset plate was found on the north span.', 'Kestrel Point fishermen now sail around the headland to sell their catch.'],
        start: 300,
      },
      {
        id: 'bridge-oldmill',
        slots: { place: 'Old Mill', person: 'Fiona Gallagher', role: 'County engineer', org: 'Tamsin County Roads', thing: 'Tamsin Viaduct', other: 'Old Mill station' },
        facts: ['The Tamsin Viaduct is a concrete arch over the Tamsin gorge.', 'Fiona Gallagher said the concrete had spalled around the reinforcing bars.', 'Old Mill bakeries and cafes report their takings have halved.'],
        start: 20,
      },
    ],
  },
  {
    name: 'water contamination',
    section: 'Health',
    tags: ['Health', 'Water'],
    headlines: [
      'Boil-water notice issued for {place}',
      'Tests find {thing} in the {place} water supply',
      '{person}: the water is safe to drink again',
      'Residents demand answers over {place} water',
      'How {thing} got into the {place} water',
      'Free bottled water handed out in {place}',
    ],
    deks: ['Officials say residents should not drink tap water.', 'The source of the contamination is still unknown.', 'Lab results are expected within days.'],
    sentences: [
      'The utility told residents of {place} to boil water before drinking it.',
      'Tests found {thing} above the safe limit at two wells.',
      '{role} {person} apologised for the delay in warning residents.',
      'Bottled water was handed out at the fire station and the library.',
      'Restaurants in {place} closed or served only packaged drinks.',
      'The state health department sent inspectors to the treatment plant.',
      'Parents of young children were urged to use bottled water for formula.',
      'The utility flushed the pipes overnight.',
      'Residents packed a meeting at {other} to demand answers.',
      'Officials said further samples would be taken every day this week.',
    ],
    clusters: [
      {
        id: 'water-lead',
        slots: { place: 'Brightwater', person: 'Dolores Achterberg', role: 'Utility director', org: 'Brightwater Water Utility', thing: 'lead', other: 'the Brightwater Grange hall' },
        facts: ['Old lead service lines run under most houses built before 1950 in Brightwater.', 'Dolores Achterberg said a change in water chemistry loosened lead from the pipes.', 'Brightwater paediatricians are offering free blood tests for children.'],
        start: 180,
      },
      {
        id: 'water-ecoli',
        slots: { place: 'Penhallow', person: 'Ravi Subramanian', role: 'Public health officer', org: 'Penhallow Water Board', thing: 'E. coli bacteria', other: 'Penhallow Methodist church' },
        facts: ['Heavy rain washed farm runoff into the Penhallow reservoir.', 'Ravi Subramanian said a chlorine pump at the Penhallow plant had failed.', 'Eleven people in Penhallow were treated for stomach illness.'],
        start: 185,
      },
    ],
  },
  {
    name: 'factory closure',
    section: 'Business',
    tags: ['Jobs', 'Economy'],
    headlines: [
      '{org} to close its {place} plant',
      '{count} jobs lost as {org} shuts down',
      'What happens to {place} after {org} leaves?',
      '{person} vows to find a buyer for the {org} plant',
      'Last shift at {org} in {place}',
      'Retraining offered to former {org} workers',
    ],
    deks: ['The company blamed falling demand and rising costs.', 'The plant has been the town\'s biggest employer for decades.', 'Local leaders are scrambling to save jobs.'],
    sentences: [
      '{org} said the {place} plant would close by the end of the year.',
      'The plant has been the largest employer in {place} for decades.',
      '{role} {person} called the decision a blow to the whole region.',
      'Workers learned of the closure at a meeting on the factory floor.',
      'The company said production would move to a newer facility.',
      'Suppliers and diners near the plant expect to lose business too.',
      'The state promised help with retraining and job searches.',
      'Union leaders said they would push for better severance.',
      'Some workers have spent thirty years making {thing}.',
      'Officials hope another manufacturer will take over the site near {other}.',
    ],
    clusters: [
      {
        id: 'factory-glass',
        slots: { place: 'Rensford', person: 'Martina Kovac', role: 'Mayor', org: 'Halvorsen Glassworks', thing: 'bottles and jars', other: 'the Rensford rail yard', count: 'Four hundred' },
        facts: ['Halvorsen Glassworks has made bottles in Rensford since 1887.', 'Martina Kovac said the glassworks furnace used as much gas as the rest of the town.', 'The Rensford rail yard was built to carry Halvorsen glass to the coast.'],
        start: 220,
      },
      {
        id: 'factory-paper',
        slots: { place: 'Elkhorn Falls', person: 'Benedikt Strauss', role: 'County executive', org: 'Northfold Paper', thing: 'newsprint and cardboard', other: 'the Elkhorn river docks', count: 'Three hundred' },
        facts: ['The Northfold Paper mill draws its water from the Elkhorn River.', 'Benedikt Strauss said Northfold Paper owes the county two years of property taxes.', 'The smell of pulp has hung over Elkhorn Falls for a century.'],
        start: 230,
      },
    ],
  },
  {
    name: 'storm',
    section: 'Local',
    tags: ['Weather'],
    headlines: [
      'Storm knocks out power across {place}',
      '{thing} brings damaging winds to {place}',
      'Thousands still without power after {thing}',
      '{person}: crews are working around the clock',
      'Trees down and roofs torn off in {place}',
      'The long cleanup after {thing}',
    ],
    deks: ['Crews are working to restore power.', 'Winds topped eighty miles an hour.', 'Schools are closed and roads blocked by fallen trees.'],
    sentences: [
      'The storm brought down trees and power lines across {place}.',
      'Winds of more than eighty miles an hour were recorded at {other}.',
      '{role} {person} said it could take days to restore power to everyone.',
      'Crews from other states arrived to help with repairs.',
      'Schools in {place} were closed while roads were cleared.',
      'Several roofs were torn off and windows blown in.',
      'Shelters opened for people without heat.',
      'Residents were warned about the dangers of generators indoors.',
      'Insurance claims are expected to run into the millions.',
      'The storm, named {thing}, moved out to sea by morning.',
    ],
    clusters: [
      {
        id: 'storm-gale',
        slots: { place: 'Whitcombe', person: 'Orla Breathnach', role: 'Utility spokeswoman', org: 'Whitcombe Electric', thing: 'Storm Isolde', other: 'Whitcombe lighthouse' },
        facts: ['Storm Isolde toppled the steeple of St. Cuthbert\'s church in Whitcombe.', 'Orla Breathnach said Whitcombe Electric had replaced sixty poles.', 'The Whitcombe lighthouse recorded a gust of ninety-one miles an hour.'],
        start: 130,
      },
      {
        id: 'storm-ice',
        slots: { place: 'Larchmont Valley', person: 'Viktor Halloran', role: 'Emergency director', org: 'Larchmont Cooperative Power', thing: 'the ice storm', other: 'Larchmont airport' },
        facts: ['Ice two centimetres thick coated every branch in Larchmont Valley.', 'Viktor Halloran said Larchmont Cooperative Power lost half its transmission lines.', 'Dairy farmers in Larchmont Valley could not run their milking machines.'],
        start: 340,
      },
    ],
  },
  {
    name: 'housing development',
    section: 'Local',
    tags: ['Housing', 'Zoning'],
    headlines: [
      'Developer proposes {count} homes at {thing}',
      'Neighbours oppose the {thing} housing plan',
      'Planning board delays vote on {thing}',
      '{person}: {place} needs more homes',
      '{thing} project approved after a long hearing',
      'Traffic study raises doubts about {thing}',
    ],
    deks: ['Supporters say the town badly needs housing.', 'Neighbours fear traffic and lost green space.', 'The planning board will decide next month.'],
    sentences: [
      'The developer wants to build homes and shops on the site at {thing}.',
      'Neighbours in {place} packed the planning board meeting.',
      '{role} {person} said the town had not built enough homes in decades.',
      'Opponents worry about traffic on the narrow roads nearby.',
      'A fifth of the new homes would be offered below market rents.',
      'The planning board asked for a new traffic study.',
      'Supporters said young families cannot afford to live in {place}.',
      'The site near {other} has been empty for years.',
      'Construction could begin next spring if the plan is approved.',
      'Environmental groups asked for a larger buffer along the wetlands.',
    ],
    clusters: [
      {
        id: 'housing-quarry',
        slots: { place: 'Abbotsford Green', person: 'Nadia Ferreira', role: 'Developer', org: 'Ferreira Homes', thing: 'the old Granby quarry', other: 'Granby Pond', count: '600' },
        facts: ['The old Granby quarry flooded after it closed in 1978.', 'Nadia Ferreira would fill part of the quarry and build terraces around Granby Pond.', 'Abbotsford Green has not approved an apartment building since 1990.'],
        start: 50,
      },
      {
        id: 'housing-golf',
        slots: { place: 'Sunnington', person: 'Lionel Ashcroft', role: 'Planning chair', org: 'Meridian Land', thing: 'the former Sunnington golf course', other: 'the Sunnington clubhouse', count: '450' },
        facts: ['The Sunnington golf course closed when membership fell below two hundred.', 'Meridian Land would keep the Sunnington clubhouse as a community centre.', 'Lionel Ashcroft said the golf course drainage ponds must be kept.'],
        start: 55,
      },
    ],
  },
  {
    name: 'police misconduct',
    section: 'Courts',
    tags: ['Policing'],
    headlines: [
      'Officer suspended after {thing}',
      'Video of {thing} prompts protests in {place}',
      '{person} calls for an independent inquiry',
      '{org} releases body camera footage',
      'Officer charged over {thing}',
      'Police oversight board meets after {thing}',
    ],
    deks: ['Protesters marched to police headquarters.', 'The department says an internal review is under way.', 'Community leaders want an independent investigation.'],
    sentences: [
      'The officer was placed on leave while the incident is investigated.',
      'A video of {thing} spread quickly on social media.',
      'Hundreds of people marched through {place} on Saturday.',
      '{role} {person} called for an independent investigation.',
      'The department released body camera footage on Friday.',
      'The police union said the officer followed his training.',
      'The oversight board heard from residents for four hours.',
      'The family of the man hired a civil rights lawyer.',
      'Prosecutors are reviewing whether charges are warranted.',
      'Protesters gathered outside {other} again on Monday.',
    ],
    clusters: [
      {
        id: 'police-traffic',
        slots: { place: 'Carrow Heights', person: 'Bishop Samuel Oyelaran', role: 'Community leader', org: 'Carrow Heights Police', thing: 'the traffic stop on Linden Avenue', other: 'Carrow Heights city hall' },
        facts: ['The driver stopped on Linden Avenue was a retired bus driver named Clarence Boateng.', 'Bishop Samuel Oyelaran led a prayer vigil on Linden Avenue.', 'The Carrow Heights Police chief apologised to the Boateng family.'],
        start: 25,
      },
      {
        id: 'police-raid',
        slots: { place: 'Halewood', person: 'Councillor Ingrid Solberg', role: 'City councillor', org: 'Halewood Police Department', thing: 'the raid on the wrong house', other: 'Halewood police headquarters' },
        facts: ['Officers broke down the door of a Halewood grandmother, Edna Pruitt, at dawn.', 'The warrant listed an address on Birch Street, not Birch Lane.', 'Ingrid Solberg wants the Halewood Police Department to end no-knock warrants.'],
        start: 260,
      },
    ],
  },
  {
    name: 'hospital',
    section: 'Health',
    tags: ['Health care'],
    headlines: [
      '{org} opens a new {thing}',
      'Waiting times grow at {org}',
      '{person}: the {thing} will save lives',
      '{org} struggles to hire staff for its {thing}',
      'Patients travel far as {place} loses services',
      'State approves funding for {org}',
    ],
    deks: ['The hospital says demand is rising fast.', 'Patients have waited hours to be seen.', 'The state will cover part of the cost.'],
    sentences: [
      '{org} says demand for care in {place} has risen every year.',
      'Patients have waited hours in the emergency room.',
      '{role} {person} said the {thing} would shorten journeys for patients.',
      'The hospital is recruiting nurses and doctors from abroad.',
      'The state will pay part of the cost of the new wing.',
      'Rural patients often drive two hours for treatment.',
      'Staff said they were exhausted after years of shortages.',
      'The {thing} will open to patients next month.',
      'Ambulances were diverted to {other} on busy nights.',
      'Hospital leaders warned that costs keep rising.',
    ],
    clusters: [
      {
        id: 'hospital-cancer',
        slots: { place: 'Marlow Ridge', person: 'Dr. Amara Chukwu', role: 'Chief of oncology', org: 'Marlow Ridge Medical Centre', thing: 'cancer treatment centre', other: 'Bellhaven General' },
        facts: ['The new radiation machines at Marlow Ridge cost eleven million dollars.', 'Dr. Amara Chukwu said chemotherapy patients no longer need to drive to the city.', 'The cancer centre is named after a Marlow Ridge teacher, June Halloway.'],
        start: 160,
      },
      {
        id: 'hospital-maternity',
        slots: { place: 'Tarnby', person: 'Dr. Oskar Lindgren', role: 'Medical director', org: 'Tarnby Community Hospital', thing: 'maternity ward', other: 'Kellerton Regional' },
        facts: ['Tarnby Community Hospital delivered its last babies in March.', 'Dr. Oskar Lindgren said the hospital could not find enough midwives.', 'Expectant mothers in Tarnby now drive to Kellerton Regional to give birth.'],
        start: 165,
      },
    ],
  },
  {
    name: 'sports final',
    section: 'Sports',
    tags: ['Sports'],
    headlines: [
      '{org} reach the {thing} final',
      '{person} leads {org} to victory',
      '{org} win the {thing} title',
      'Fans in {place} celebrate a historic win',
      'Injury doubts for {person} before the final',
      'How {org} turned their season around',
    ],
    deks: ['The team came back from a goal down.', 'It is the club\'s first title in decades.', 'Thousands of fans lined the streets.'],
    sentences: [
      '{org} came from behind to win in front of a packed stadium.',
      '{role} {person} scored twice in the second half.',
      'Fans in {place} poured into the streets after the final whistle.',
      'The coach praised the team\'s defence.',
      'It was the club\'s first title in more than thirty years.',
      'The team will parade through {place} on Sunday.',
      'The season began with four straight losses.',
      'The goalkeeper made three crucial saves in extra time.',
      'Tickets for the {thing} final sold out in minutes.',
      'Players celebrated with supporters at {other}.',
    ],
    clusters: [
      {
        id: 'sports-football',
        slots: { place: 'Grantchester', person: 'Mateo Ibarra', role: 'Striker', org: 'Grantchester Rovers', thing: 'county cup', other: 'Holloway Park' },
        facts: ['Grantchester Rovers beat Westvale Athletic three goals to two.', 'Mateo Ibarra joined Grantchester Rovers from a club in Bilbao last summer.', 'Holloway Park was built for Grantchester Rovers in 1922.'],
        start: 100,
      },
      {
        id: 'sports-hockey',
        slots: { place: 'Thornbury', person: 'Sanna Virtanen', role: 'Captain', org: 'Thornbury Lynx', thing: 'women\'s hockey league', other: 'the Thornbury ice arena' },
        facts: ['The Thornbury Lynx won the league final in overtime against the Pinecrest Owls.', 'Sanna Virtanen scored the winning goal on a breakaway.', 'The Thornbury ice arena was sold out for the first time.'],
        start: 105,
      },
    ],
  },
  {
    name: 'transit fares',
    section: 'Politics',
    tags: ['Transport', 'City budget'],
    headlines: [
      '{org} proposes a fare increase',
      'Riders protest the {org} fare plan',
      '{person} defends the {thing}',
      '{org} board votes on fares and service cuts',
      'What the new fares mean for {place} commuters',
      '{org} delays the fare increase',
    ],
    deks: ['The agency faces a large budget gap.', 'Riders say they cannot afford more.', 'The board will vote next week.'],
    sentences: [
      '{org} says it needs more money to keep buses and trains running.',
      'A single ride would cost fifty cents more under the plan.',
      '{role} {person} said the {thing} was the only responsible choice.',
      'Riders at the hearing said they rely on the bus to get to work.',
      'Service on weekend routes would be reduced.',
      'Ridership has not recovered since the pandemic.',
      'Advocates proposed free fares for students and seniors.',
      'The board is expected to vote next week.',
      'Commuters in {place} already pay more than in neighbouring cities.',
      'The agency also plans to close the ticket office at {other}.',
    ],
    clusters: [
      {
        id: 'transit-tram',
        slots: { place: 'Velmont', person: 'Corinne Dufresne', role: 'Transit chief', org: 'Velmont Tramways', thing: 'tram fare increase', other: 'Velmont Central station' },
        facts: ['Velmont Tramways runs the oldest tram line in the country, opened in 1895.', 'Corinne Dufresne said the tram fleet needs new brakes.', 'Velmont university students rely on the number 4 tram.'],
        start: 280,
      },
      {
        id: 'transit-bus',
        slots: { place: 'Okafor Springs', person: 'Desmond Achebe', role: 'Board chair', org: 'Springs Regional Transit', thing: 'bus fare plan', other: 'the Okafor Springs bus depot' },
        facts: ['Springs Regional Transit wants to buy electric buses for the Okafor Springs routes.', 'Desmond Achebe said diesel prices doubled the agency\'s fuel bill.', 'The Okafor Springs night bus would stop running at midnight.'],
        start: 275,
      },
    ],
  },
];

/** A small seeded random generator (mulberry32), so the corpus is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sentences every kind of local story uses: filler that links nothing to nothing. */
const COMMON = [
  'Officials said more information would be released in the coming days.',
  'The council is expected to discuss the matter at its next meeting.',
  'Residents can find updates on the county website.',
  'A spokesperson declined to comment further.',
  'This story will be updated as more details become available.',
  'Several residents said they had never seen anything like it.',
];

/**
 * Follow-up stories often name nobody in most sentences: with this map a
 * sentence loses its names, so clusters cannot be told apart by names alone.
 */
const GENERIC: Record<string, string> = {
  place: 'the area',
  person: 'a spokesperson',
  role: 'Speaking for officials,',
  org: 'the organisation',
  thing: 'the issue',
  other: 'a nearby site',
  count: 'Hundreds of',
};

function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => slots[key] ?? key);
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const ARTICLES_PER_CLUSTER = 11;
/** Share of the kind's sentences told without the event's names. */
export const GENERIC_SHARE = 0.6;

export function evaluationCorpus(seed = 4242): EvalArticle[] {
  const random = rng(seed);
  const articles: EvalArticle[] = [];
  for (const kind of KINDS) {
    for (const cluster of kind.clusters) {
      const headlines = shuffle(kind.headlines, random);
      for (let n = 0; n < ARTICLES_PER_CLUSTER; n++) {
        const headline = fill(headlines[n % headlines.length]!, cluster.slots) + (n >= headlines.length ? `: ${['the latest', 'day ' + (n + 1), 'what we know'][n % 3]}` : '');
        const dek = fill(kind.deks[Math.floor(random() * kind.deks.length)]!, cluster.slots);
        // Five sentences of the kind, one or two of the event's own facts, one common line: a short news item.
        const sentences = shuffle(kind.sentences, random)
          .slice(0, 5)
          .map((s) => fill(s, random() < GENERIC_SHARE ? GENERIC : cluster.slots));
        const facts = shuffle(cluster.facts, random).slice(0, 1 + Math.floor(random() * 2));
        const common = COMMON[Math.floor(random() * COMMON.length)]!;
        const all = [sentences[0]!, sentences[1]!, facts[0]!, sentences[2]!, sentences[3]!, ...(facts[1] ? [facts[1]] : []), sentences[4]!, common];
        const paragraphs: string[] = [];
        for (let i = 0; i < all.length; i += 2) paragraphs.push(all.slice(i, i + 2).join(' '));
        articles.push({
          cluster: cluster.id,
          headline,
          dek,
          paragraphs,
          section: kind.section,
          tags: kind.tags,
          daysAgo: Math.max(0, cluster.start - n * 2 - Math.floor(random() * 2)),
        });
      }
    }
  }
  return articles;
}
